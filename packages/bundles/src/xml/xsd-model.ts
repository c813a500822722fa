/**
 * The facts of an XML Schema that validation needs (names, order, occurrences, types, facets,
 * attributes), as `generate-model.ts` compiles them from NCMEC's `cyber_tipline.xsd`. Only the
 * XSD constructs that schema uses are modelled; the generator refuses anything else, so a new
 * construct in a later XSD fails loudly instead of being validated wrongly.
 */

/** XSD built-in simple types the CyberTipline schema uses, by local name (`xs:` prefix dropped). */
export const builtinTypes = [
  'string',
  'token',
  'boolean',
  'int',
  'long',
  'double',
  'date',
  'dateTime',
] as const;
export type BuiltinType = (typeof builtinTypes)[number];

/** `unbounded` or a count. */
export type Occurs = number | 'unbounded';

/**
 * A type reference: `xs:<builtin>`, the name of a named simple or complex type, or
 * `element:<path>` for a type declared inline in an element (e.g. `element:report`).
 */
export type TypeRef = string;

export interface SimpleTypeDef {
  readonly base: BuiltinType;
  /** Allowed values (lexical, after the base type's whitespace handling); absent = any. */
  readonly enumeration?: readonly string[];
  /** XSD regular expressions the value must match in full (all of them). */
  readonly patterns?: readonly string[];
}

export interface ElementParticle {
  readonly kind: 'element';
  readonly name: string;
  readonly type: TypeRef;
  readonly min: number;
  readonly max: Occurs;
  /** `fixed` value constraint (the flag elements are `xs:boolean` fixed `true`). */
  readonly fixed?: string;
}

export interface GroupParticle {
  readonly kind: 'sequence' | 'choice';
  readonly min: number;
  readonly max: Occurs;
  readonly particles: readonly Particle[];
}

export type Particle = ElementParticle | GroupParticle;

export interface AttributeDecl {
  readonly name: string;
  readonly type: TypeRef;
  readonly required: boolean;
}

export type ContentModel =
  | { readonly kind: 'empty' }
  | { readonly kind: 'simple'; readonly type: TypeRef }
  | { readonly kind: 'elements'; readonly particle: GroupParticle }
  | { readonly kind: 'all'; readonly min: number; readonly elements: readonly ElementParticle[] };

export interface ComplexTypeDef {
  readonly attributes: readonly AttributeDecl[];
  readonly content: ContentModel;
}

export interface XsdModel {
  /** The XSD the model was compiled from (file name and sha256 of its bytes). */
  readonly source: { readonly file: string; readonly sha256: string };
  /** Global elements (possible document roots) and their types. */
  readonly elements: Readonly<Record<string, TypeRef>>;
  readonly simpleTypes: Readonly<Record<string, SimpleTypeDef>>;
  readonly complexTypes: Readonly<Record<string, ComplexTypeDef>>;
}
