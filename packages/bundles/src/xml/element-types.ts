import { type CompiledContent, compileAll, compileGroup } from './content-matcher.ts';
import { cybertiplineModel } from './generated/cybertipline-model.ts';
import { simpleTypeDef } from './simple-types.ts';
import type {
  AttributeDecl,
  ComplexTypeDef,
  ElementParticle,
  Particle,
  SimpleTypeDef,
  TypeRef,
} from './xsd-model.ts';

/**
 * The CyberTipline model's types in the shape the reader checks elements against: attribute
 * declarations with their simple types resolved, child declarations by name, and element-only
 * content compiled into a matcher. Compiled on first use and cached for every later document.
 */

export type AttributeType = AttributeDecl & { readonly def: SimpleTypeDef };

export type ElementType =
  | { readonly kind: 'simple'; readonly def: SimpleTypeDef }
  | {
      readonly kind: 'complex';
      readonly id: TypeRef;
      readonly def: ComplexTypeDef;
      readonly declared: ReadonlyMap<string, ElementParticle>;
      readonly attributes: ReadonlyMap<string, AttributeType>;
      readonly content: CompiledContent | null;
      readonly simple: SimpleTypeDef | null;
    }
  /** An element the model does not declare, kept under the drift policy: empty, or `true`. */
  | { readonly kind: 'flag' };

const compiled = new Map<TypeRef, ElementType>();

/** The compiled type of `ref` (a type of the CyberTipline model). */
export function elementType(ref: TypeRef): ElementType {
  const done = compiled.get(ref);
  if (done !== undefined) return done;
  const simple = simpleTypeDef(cybertiplineModel, ref);
  const type: ElementType = simple !== undefined ? { kind: 'simple', def: simple } : complexType(ref);
  compiled.set(ref, type);
  return type;
}

function complexType(ref: TypeRef): ElementType {
  const def = cybertiplineModel.complexTypes[ref];
  if (def === undefined) throw new Error(`CyberTipline model has no type ${ref}`);
  const declared = new Map<string, ElementParticle>();
  const collect = (particle: Particle): void => {
    if (particle.kind === 'element') declared.set(particle.name, particle);
    else particle.particles.forEach(collect);
  };
  let content: CompiledContent | null = null;
  if (def.content.kind === 'elements') {
    collect(def.content.particle);
    content = compileGroup(def.content.particle, declared);
  } else if (def.content.kind === 'all') {
    for (const element of def.content.elements) declared.set(element.name, element);
    content = compileAll(def.content.elements, def.content.min);
  }
  return {
    kind: 'complex',
    id: ref,
    def,
    declared,
    attributes: new Map(
      def.attributes.map((attribute) => [
        attribute.name,
        { ...attribute, def: simpleTypeDef(cybertiplineModel, attribute.type)! },
      ]),
    ),
    content,
    simple:
      def.content.kind === 'simple' ? (simpleTypeDef(cybertiplineModel, def.content.type) ?? null) : null,
  };
}
