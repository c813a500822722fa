import { createHash } from 'node:crypto';
import { SaxesParser } from 'saxes';
import {
  type AttributeDecl,
  type BuiltinType,
  builtinTypes,
  type ComplexTypeDef,
  type ContentModel,
  type ElementParticle,
  type GroupParticle,
  type Occurs,
  type Particle,
  type SimpleTypeDef,
  type TypeRef,
  type XsdModel,
} from './xsd-model.ts';

/**
 * Compiles an XML Schema into an `XsdModel`: the subset of XSD 1.0 that NCMEC's
 * `cyber_tipline.xsd` uses (no target namespace; global and local elements, element refs,
 * named and inline complex types with sequence/choice/all and simpleContent extensions,
 * attributes, simple types restricting built-ins by enumeration and pattern). Anything else
 * throws, naming where it is, so a later XSD with a new construct is noticed, not mis-validated.
 * Documentation (xs:annotation) is skipped: the model holds the format's facts only.
 */

const XS = 'http://www.w3.org/2001/XMLSchema';

interface XsNode {
  readonly local: string;
  /** Unprefixed attributes; QName-valued ones (type, base, ref) resolved to `xs:local` or `local`. */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XsNode[];
  /** Where the node is, for error messages: `schema/element[report]/complexType`. */
  readonly where: string;
}

const qnameAttributes = new Set(['type', 'base', 'ref']);

function parseXsd(text: string): XsNode {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XsNode[] = [];
  let root: XsNode | undefined;
  let annotationDepth = 0;
  const resolveQName = (value: string, where: string): string => {
    const colon = value.indexOf(':');
    const prefix = colon < 0 ? '' : value.slice(0, colon);
    const local = colon < 0 ? value : value.slice(colon + 1);
    const uri = prefix === '' ? (parser.resolve('') ?? '') : parser.resolve(prefix);
    if (uri === XS) return `xs:${local}`;
    if (uri === '') return local;
    throw new Error(
      `${where}: QName ${value} is in namespace ${String(uri)}; only XSD built-ins and unqualified names are supported`,
    );
  };
  parser.on('opentag', (tag) => {
    const parent = stack.at(-1);
    if (annotationDepth > 0 || (tag.uri === XS && tag.local === 'annotation')) {
      annotationDepth += 1;
      return;
    }
    const name = tag.attributes.name?.value;
    const where = `${parent === undefined ? '' : `${parent.where}/`}${tag.local}${name === undefined ? '' : `[${name}]`}`;
    if (tag.uri !== XS) throw new Error(`${where}: element outside the XSD namespace`);
    const attrs: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      if (attribute.uri !== '')
        throw new Error(`${where}: qualified attribute ${attribute.name} is not supported`);
      attrs[attribute.local] = qnameAttributes.has(attribute.local)
        ? resolveQName(attribute.value, where)
        : attribute.value;
    }
    const node: XsNode = { local: tag.local, attrs, children: [], where };
    if (parent === undefined) root = node;
    else parent.children.push(node);
    stack.push(node);
  });
  parser.on('closetag', () => {
    if (annotationDepth > 0) annotationDepth -= 1;
    else stack.pop();
  });
  parser.write(text).close();
  if (root === undefined || root.local !== 'schema')
    throw new Error('not an XML Schema: the root is not xs:schema');
  return root;
}

function unsupported(node: XsNode, what: string): never {
  throw new Error(`${node.where}: ${what} is not supported by the CyberTipline model compiler`);
}

function allowAttributes(node: XsNode, allowed: readonly string[]): void {
  for (const name of Object.keys(node.attrs)) {
    if (!allowed.includes(name)) unsupported(node, `attribute ${name}="${node.attrs[name]}"`);
  }
}

/** The one `xs:restriction` of a simpleType or `xs:extension` of a simpleContent, and its base. */
function soleDerivation(
  node: XsNode,
  local: 'restriction' | 'extension',
): { derivation: XsNode; base: string } {
  const [derivation, ...more] = node.children;
  if (derivation === undefined || derivation.local !== local || more.length > 0) {
    unsupported(node, `a ${node.local} other than one xs:${local}`);
  }
  allowAttributes(derivation, ['base']);
  const base = derivation.attrs.base;
  if (base === undefined)
    unsupported(derivation, `${local === 'extension' ? 'an' : 'a'} ${local} without a base`);
  return { derivation, base };
}

function occurs(node: XsNode, attribute: 'minOccurs' | 'maxOccurs'): Occurs {
  const value = node.attrs[attribute];
  if (value === undefined) return 1;
  if (attribute === 'maxOccurs' && value === 'unbounded') return 'unbounded';
  if (!/^[0-9]+$/.test(value)) unsupported(node, `${attribute}="${value}"`);
  const count = Number(value);
  // The matcher unrolls bounded repetition; keep it small.
  if (count > 100) unsupported(node, `${attribute}="${value}" (over 100)`);
  return count;
}

function minOccurs(node: XsNode): number {
  const value = occurs(node, 'minOccurs');
  if (value === 'unbounded') unsupported(node, 'minOccurs="unbounded"');
  return value;
}

function builtin(node: XsNode, ref: string): TypeRef {
  if (!ref.startsWith('xs:')) return ref;
  const local = ref.slice(3);
  if (!(builtinTypes as readonly string[]).includes(local)) unsupported(node, `built-in type ${ref}`);
  return ref;
}

const unsupportedRegex = /\\[iIcC]|\\[pP]\{Is|-\[/;

interface RawSimpleType {
  readonly node: XsNode;
  readonly base: TypeRef;
  readonly enumeration: readonly string[];
  readonly patterns: readonly string[];
}

class Compiler {
  readonly globalElementNodes = new Map<string, XsNode>();
  readonly elements: Record<string, TypeRef> = {};
  readonly rawSimpleTypes = new Map<string, RawSimpleType>();
  readonly complexTypes: Record<string, ComplexTypeDef> = {};

  compileSchema(schema: XsNode): void {
    allowAttributes(schema, ['elementFormDefault', 'attributeFormDefault', 'version']);
    for (const child of schema.children) {
      if (child.local === 'element') {
        const name = child.attrs.name;
        if (name === undefined) unsupported(child, 'a global element without a name');
        if (this.globalElementNodes.has(name)) unsupported(child, `a second global element ${name}`);
        this.globalElementNodes.set(name, child);
      }
    }
    for (const child of schema.children) {
      switch (child.local) {
        case 'element': {
          allowAttributes(child, ['name', 'type']);
          const name = child.attrs.name!;
          this.elements[name] = this.elementType(child, name);
          break;
        }
        case 'complexType': {
          const name = child.attrs.name;
          if (name === undefined) unsupported(child, 'a global complexType without a name');
          this.addComplexType(name, child, name);
          break;
        }
        case 'simpleType': {
          const name = child.attrs.name;
          if (name === undefined) unsupported(child, 'a global simpleType without a name');
          this.addSimpleType(name, child);
          break;
        }
        default:
          unsupported(child, `xs:${child.local} at the top level`);
      }
    }
  }

  /** The type of an element declaration: its `type` attribute or its inline type, named `element:<path>`. */
  elementType(node: XsNode, path: string): TypeRef {
    const inline = node.children.filter(
      (child) => child.local === 'complexType' || child.local === 'simpleType',
    );
    const others = node.children.filter((child) => !inline.includes(child));
    if (others.length > 0) unsupported(others[0]!, `xs:${others[0]!.local} inside an element`);
    const declared = node.attrs.type;
    if (declared !== undefined) {
      if (inline.length > 0) unsupported(node, 'both a type attribute and an inline type');
      return builtin(node, declared);
    }
    const [type, ...more] = inline;
    if (type === undefined) unsupported(node, 'an element without a type (xs:anyType)');
    if (more.length > 0) unsupported(node, 'two inline types');
    const id = `element:${path}`;
    if (type.local === 'complexType') {
      this.addComplexType(id, type, path);
    } else {
      this.addSimpleType(id, type);
    }
    return id;
  }

  addSimpleType(id: string, node: XsNode): void {
    if (this.rawSimpleTypes.has(id) || id in this.complexTypes)
      unsupported(node, `a second type named ${id}`);
    const { derivation: restriction, base } = soleDerivation(node, 'restriction');
    const enumeration: string[] = [];
    const patterns: string[] = [];
    for (const facet of restriction.children) {
      allowAttributes(facet, ['value']);
      const value = facet.attrs.value;
      if (value === undefined) unsupported(facet, 'a facet without a value');
      if (facet.local === 'enumeration') enumeration.push(value);
      else if (facet.local === 'pattern') {
        if (unsupportedRegex.test(value)) unsupported(facet, `the regular expression ${value}`);
        try {
          new RegExp(`^(?:${value})$`, 'u');
        } catch {
          unsupported(facet, `the regular expression ${value}`);
        }
        patterns.push(value);
      } else unsupported(facet, `the facet xs:${facet.local}`);
    }
    this.rawSimpleTypes.set(id, { node, base: builtin(restriction, base), enumeration, patterns });
  }

  addComplexType(id: string, node: XsNode, path: string): void {
    if (id in this.complexTypes || this.rawSimpleTypes.has(id))
      unsupported(node, `a second type named ${id}`);
    allowAttributes(node, ['name']);
    const attributes: AttributeDecl[] = [];
    let content: ContentModel = { kind: 'empty' };
    let contentSeen = false;
    const setContent = (child: XsNode, value: ContentModel) => {
      if (contentSeen) unsupported(child, 'a second content model');
      if (attributes.length > 0) unsupported(child, 'a content model after attributes');
      contentSeen = true;
      content = value;
    };
    for (const child of node.children) {
      switch (child.local) {
        case 'sequence':
        case 'choice':
          setContent(child, { kind: 'elements', particle: this.group(child, path) });
          break;
        case 'all':
          setContent(child, this.all(child, path));
          break;
        case 'simpleContent': {
          const { derivation: extension, base } = soleDerivation(child, 'extension');
          setContent(child, { kind: 'simple', type: builtin(extension, base) });
          for (const attribute of extension.children) attributes.push(this.attribute(attribute, path));
          break;
        }
        case 'attribute':
          attributes.push(this.attribute(child, path));
          break;
        default:
          unsupported(child, `xs:${child.local} in a complexType`);
      }
    }
    const names = attributes.map((attribute) => attribute.name);
    if (new Set(names).size !== names.length) unsupported(node, 'a repeated attribute');
    this.complexTypes[id] = { attributes, content };
  }

  attribute(node: XsNode, path: string): AttributeDecl {
    if (node.local !== 'attribute') unsupported(node, `xs:${node.local} among attributes`);
    allowAttributes(node, ['name', 'type', 'use']);
    const name = node.attrs.name;
    if (name === undefined) unsupported(node, 'an attribute without a name');
    const use = node.attrs.use ?? 'optional';
    if (use !== 'optional' && use !== 'required') unsupported(node, `use="${use}"`);
    let type = node.attrs.type;
    if (type === undefined) {
      const [inline, ...more] = node.children;
      if (inline === undefined || inline.local !== 'simpleType' || more.length > 0) {
        unsupported(node, 'an attribute without a simple type');
      }
      type = `element:${path}/@${name}`;
      this.addSimpleType(type, inline);
    } else if (node.children.length > 0) unsupported(node, 'both a type attribute and an inline type');
    return { name, type: builtin(node, type), required: use === 'required' };
  }

  localElement(node: XsNode, path: string): ElementParticle {
    allowAttributes(node, ['name', 'ref', 'type', 'minOccurs', 'maxOccurs', 'fixed']);
    const min = minOccurs(node);
    const max = occurs(node, 'maxOccurs');
    const fixed = node.attrs.fixed;
    const ref = node.attrs.ref;
    let name: string;
    let type: TypeRef;
    if (ref !== undefined) {
      if (node.attrs.name !== undefined || node.attrs.type !== undefined || node.children.length > 0) {
        unsupported(node, 'an element ref with its own name or type');
      }
      if (!this.globalElementNodes.has(ref)) unsupported(node, `a ref to the unknown element ${ref}`);
      name = ref;
      // A ref takes the global element's type, declared under its own name.
      type = this.globalElementNodes.get(ref)!.attrs.type ?? `element:${ref}`;
      type = builtin(node, type);
    } else {
      const declared = node.attrs.name;
      if (declared === undefined) unsupported(node, 'a local element without a name or ref');
      name = declared;
      type = this.elementType(node, `${path}/${name}`);
    }
    return { kind: 'element', name, type, min, max, ...(fixed === undefined ? {} : { fixed }) };
  }

  group(node: XsNode, path: string): GroupParticle {
    allowAttributes(node, ['minOccurs', 'maxOccurs']);
    const particles: Particle[] = [];
    for (const child of node.children) {
      if (child.local === 'element') particles.push(this.localElement(child, path));
      else if (child.local === 'sequence' || child.local === 'choice')
        particles.push(this.group(child, path));
      else unsupported(child, `xs:${child.local} in a model group`);
    }
    return {
      kind: node.local === 'choice' ? 'choice' : 'sequence',
      min: minOccurs(node),
      max: occurs(node, 'maxOccurs'),
      particles,
    };
  }

  all(node: XsNode, path: string): ContentModel {
    allowAttributes(node, ['minOccurs', 'maxOccurs']);
    const min = minOccurs(node);
    if (min > 1 || occurs(node, 'maxOccurs') !== 1)
      unsupported(node, 'xs:all occurring other than 0..1 or 1..1');
    const elements = node.children.map((child) => {
      if (child.local !== 'element') unsupported(child, `xs:${child.local} in xs:all`);
      const element = this.localElement(child, path);
      if (element.max !== 0 && element.max !== 1) unsupported(child, 'maxOccurs over 1 in xs:all');
      return element;
    });
    return { kind: 'all', min, elements };
  }

  /** Resolves simple types to their built-in base with the facets of every derivation step. */
  simpleTypes(): Record<string, SimpleTypeDef> {
    const resolved: Record<string, SimpleTypeDef> = {};
    const resolve = (id: string, seen: readonly string[]): SimpleTypeDef => {
      const done = resolved[id];
      if (done !== undefined) return done;
      const raw = this.rawSimpleTypes.get(id)!;
      if (seen.includes(id)) unsupported(raw.node, `a circular simple type ${id}`);
      let base: BuiltinType;
      let enumeration: readonly string[] = raw.enumeration;
      let patterns: readonly string[] = raw.patterns;
      if (raw.base.startsWith('xs:')) base = raw.base.slice(3) as BuiltinType;
      else {
        if (!this.rawSimpleTypes.has(raw.base))
          unsupported(raw.node, `a restriction of the non-simple type ${raw.base}`);
        const parent = resolve(raw.base, [...seen, id]);
        base = parent.base;
        if (enumeration.length === 0) enumeration = parent.enumeration ?? [];
        patterns = [...(parent.patterns ?? []), ...patterns];
      }
      const def: SimpleTypeDef = {
        base,
        ...(enumeration.length === 0 ? {} : { enumeration }),
        ...(patterns.length === 0 ? {} : { patterns }),
      };
      resolved[id] = def;
      return def;
    };
    for (const id of this.rawSimpleTypes.keys()) resolve(id, []);
    // Keep declaration order rather than resolution order.
    return Object.fromEntries([...this.rawSimpleTypes.keys()].map((id) => [id, resolved[id]!]));
  }
}

function checkReferences(model: XsdModel): void {
  const isSimple = (ref: TypeRef) => ref.startsWith('xs:') || ref in model.simpleTypes;
  const exists = (ref: TypeRef) => isSimple(ref) || ref in model.complexTypes;
  for (const [name, type] of Object.entries(model.elements)) {
    if (!exists(type)) throw new Error(`global element ${name}: unknown type ${type}`);
  }
  for (const [id, def] of Object.entries(model.complexTypes)) {
    for (const attribute of def.attributes) {
      if (!isSimple(attribute.type))
        throw new Error(`${id}/@${attribute.name}: type ${attribute.type} is not simple`);
    }
    if (def.content.kind === 'simple' && !isSimple(def.content.type)) {
      throw new Error(`${id}: simpleContent base ${def.content.type} is not simple`);
    }
    const declared = new Map<string, ElementParticle>();
    const visit = (particle: Particle) => {
      if (particle.kind !== 'element') {
        particle.particles.forEach(visit);
        return;
      }
      if (!exists(particle.type)) throw new Error(`${id}/${particle.name}: unknown type ${particle.type}`);
      if (particle.fixed !== undefined && !isSimple(particle.type)) {
        throw new Error(`${id}/${particle.name}: a fixed value on a complex type`);
      }
      // Element Declarations Consistent: the validator looks local declarations up by name.
      const other = declared.get(particle.name);
      if (other !== undefined && (other.type !== particle.type || other.fixed !== particle.fixed)) {
        throw new Error(`${id}: two declarations of ${particle.name} with different types`);
      }
      declared.set(particle.name, particle);
    };
    if (def.content.kind === 'elements') visit(def.content.particle);
    if (def.content.kind === 'all') def.content.elements.forEach(visit);
  }
}

export function compileXsd(bytes: Buffer, fileName: string): XsdModel {
  const schema = parseXsd(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  const compiler = new Compiler();
  compiler.compileSchema(schema);
  const model: XsdModel = {
    source: { file: fileName, sha256: createHash('sha256').update(bytes).digest('hex') },
    elements: compiler.elements,
    simpleTypes: compiler.simpleTypes(),
    complexTypes: compiler.complexTypes,
  };
  checkReferences(model);
  return model;
}
