import { type ErrorCode, TriageError } from '@triage/errors';
import type { DriftNote } from '@triage/schemas';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { type CompiledContent, compileAll, compileGroup, type StepResult } from './content-matcher.ts';
import { driftKindOf } from './drift-policy.ts';
import { cybertiplineModel } from './generated/cybertipline-model.ts';
import { checkSimpleValue, type SimpleValue, simpleTypeDef } from './simple-types.ts';
import { decodeUtf8Document } from './utf8.ts';
import type {
  AttributeDecl,
  ComplexTypeDef,
  ElementParticle,
  Particle,
  SimpleTypeDef,
  TypeRef,
} from './xsd-model.ts';

/**
 * Reads a CyberTipline XML document in one pass: strict well-formedness (saxes), no DTD and no
 * entities beyond the predefined five (so XXE and entity expansion cannot happen), and
 * validation against the content model compiled from NCMEC's XSD while the elements stream by.
 * What it keeps is a small tree of the validated elements with typed values, for the mappers;
 * subtrees the mappers never read (e.g. the reporting person) are validated but not kept.
 */

export interface XmlElement {
  readonly name: string;
  /** Element path in the document, 1-based indices on repeatable elements: `/report/victim[2]/victimPerson`. */
  readonly pointer: string;
  readonly attributes: ReadonlyMap<string, SimpleValue>;
  readonly children: readonly XmlElement[];
  /** The typed value of simple content; null for element-only or empty content. */
  readonly value: SimpleValue | null;
}

export interface CyberTiplineDocument {
  readonly root: XmlElement;
  /** Elements newer than the model, kept under the drift policy. */
  readonly driftNotes: readonly DriftNote[];
}

export interface ReadOptions {
  readonly documentName: string;
  readonly root: 'report' | 'fileDetails';
  /** Element paths without indices (`report/reporter/reportingPerson`) validated but not kept. */
  readonly dropped?: ReadonlySet<string>;
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** Schema hints a document may carry; they are never fetched. */
const xsiHints = new Set(['noNamespaceSchemaLocation', 'schemaLocation']);
const predefinedEntities: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};
const xmlWhitespace = /^[\t\n\r ]*$/;

type ElementType =
  | { readonly kind: 'simple'; readonly def: SimpleTypeDef }
  | {
      readonly kind: 'complex';
      readonly id: TypeRef;
      readonly def: ComplexTypeDef;
      readonly declared: ReadonlyMap<string, ElementParticle>;
      readonly attributes: ReadonlyMap<string, AttributeDecl & { readonly def: SimpleTypeDef }>;
      readonly content: CompiledContent | null;
      readonly simple: SimpleTypeDef | null;
    }
  | { readonly kind: 'flag' };

const compiled = new Map<TypeRef, ElementType>();
const noAttributes: ReadonlyMap<string, SimpleValue> = new Map();
const noDeclarations: ReadonlyMap<string, AttributeDecl & { readonly def: SimpleTypeDef }> = new Map();

function elementType(ref: TypeRef): ElementType {
  const done = compiled.get(ref);
  if (done !== undefined) return done;
  let type: ElementType;
  const simple = simpleTypeDef(cybertiplineModel, ref);
  if (simple !== undefined) type = { kind: 'simple', def: simple };
  else {
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
    type = {
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
  compiled.set(ref, type);
  return type;
}

interface Frame {
  readonly name: string;
  readonly pointer: string;
  /** The not-kept rules below this element (see `dropTree`). */
  readonly drops: DropTree | null;
  readonly type: ElementType;
  readonly fixed: string | undefined;
  readonly cursor: ReturnType<CompiledContent['cursor']> | null;
  /** Occurrences so far per child name; created at the first child. */
  childCounts: Map<string, number> | null;
  readonly children: XmlElement[];
  readonly attributes: ReadonlyMap<string, SimpleValue>;
  readonly retained: boolean;
  /** The drift note of a kept element the model does not declare. */
  readonly drift: DriftNote | null;
  text: string;
}

/** Not-kept paths as a tree of child names, so no path string is built per element. */
type DropTree = ReadonlyMap<string, DropTree | 'drop'>;

function dropTree(paths: ReadonlySet<string>): DropTree {
  type Mutable = Map<string, Mutable | 'drop'>;
  const root: Mutable = new Map();
  for (const path of paths) {
    const names = path.split('/');
    const last = names.pop()!;
    let node: Mutable | null = root;
    for (const name of names) {
      const existing: Mutable | 'drop' | undefined = node.get(name);
      // Under a dropped element everything is dropped already.
      if (existing === 'drop') {
        node = null;
        break;
      }
      const next: Mutable = existing ?? new Map();
      node.set(name, next);
      node = next;
    }
    node?.set(last, 'drop');
  }
  return root;
}

/** `<name>` with its position, for messages. */
const tagOf = (name: string) => `<${name}>`;

export function readCyberTiplineDocument(bytes: Uint8Array, options: ReadOptions): CyberTiplineDocument {
  const { documentName } = options;
  const drops = dropTree(options.dropped ?? new Set());
  const text = decodeUtf8Document(bytes, documentName);
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Frame[] = [];
  const driftNotes: DriftNote[] = [];
  let root: XmlElement | undefined;

  const position = () => ({ line: parser.line, column: parser.column });
  const at = () => `line ${parser.line}, column ${parser.column}`;
  const textPointer = () => `${documentName}:${parser.line}:${parser.column}`;
  const fail = (code: ErrorCode, message: string, pointer: string, details: Record<string, unknown> = {}) =>
    new TriageError(code, `${documentName}: ${message} (${at()})`, {
      pointer: `${documentName}#${pointer}`,
      details: { ...details, ...position() },
    });
  const schemaError = (message: string, pointer: string, details?: Record<string, unknown>) =>
    fail('TRIAGE_BUNDLE_XML_SCHEMA', message, pointer, details);
  /** `back` moves the column to the start of what was refused (saxes reports where it stopped). */
  const forbidden = (message: string, back = 0) => {
    const where = { line: parser.line, column: parser.column - back };
    return new TriageError(
      'TRIAGE_BUNDLE_XML_FORBIDDEN',
      `${documentName}: ${message} (line ${where.line}, column ${where.column})`,
      { pointer: `${documentName}:${where.line}:${where.column}`, details: where },
    );
  };
  const checkValue = (def: SimpleTypeDef, raw: string, pointer: string, what: string): SimpleValue => {
    const checked = checkSimpleValue(def, raw);
    if (checked.ok) return checked.value;
    const code = checked.reason === 'enumeration' ? 'TRIAGE_BUNDLE_ENUM_UNKNOWN' : 'TRIAGE_BUNDLE_XML_SCHEMA';
    throw fail(code, `${what}: ${checked.message}`, pointer, { value: raw });
  };

  // Only the five predefined entities resolve; any other reference is refused, never looked up.
  parser.ENTITIES = new Proxy({ ...predefinedEntities } as Record<string, string>, {
    get(target, key) {
      if (typeof key === 'string' && Object.hasOwn(target, key)) return target[key];
      throw forbidden(
        `the entity reference &${String(key)}; is not allowed (only &amp; &lt; &gt; &quot; &apos;)`,
        String(key).length + 1,
      );
    },
  });
  parser.on('doctype', () => {
    throw forbidden(
      'a DOCTYPE declaration is not allowed: CyberTipline documents have none, and DTD entities are never expanded',
    );
  });
  parser.on('error', (error) => {
    const prefix = `${parser.line}:${parser.column}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    throw new TriageError(
      'TRIAGE_BUNDLE_XML_MALFORMED',
      `${documentName} is not well-formed XML: ${message} (${at()})`,
      {
        pointer: textPointer(),
        details: position(),
        cause: error,
      },
    );
  });

  const checkAttributes = (
    tag: SaxesTagNS,
    type: ElementType,
    pointer: string,
  ): ReadonlyMap<string, SimpleValue> => {
    let values: Map<string, SimpleValue> | undefined;
    const declared = type.kind === 'complex' ? type.attributes : noDeclarations;
    for (const key in tag.attributes) {
      const attribute = tag.attributes[key]!;
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      const attributePointer = `${pointer}/@${attribute.name}`;
      if (attribute.uri === XSI) {
        if (xsiHints.has(attribute.local)) continue;
        throw schemaError(`the attribute ${attribute.name} is not supported`, attributePointer);
      }
      const decl = attribute.uri === '' ? declared.get(attribute.local) : undefined;
      if (decl === undefined) {
        throw schemaError(`${tagOf(tag.local)} has no attribute ${attribute.name}`, attributePointer);
      } else {
        values ??= new Map();
        values.set(
          decl.name,
          checkValue(decl.def, attribute.value, attributePointer, `attribute ${attribute.name}`),
        );
      }
    }
    for (const decl of declared.values()) {
      if (decl.required && values?.has(decl.name) !== true) {
        throw schemaError(`${tagOf(tag.local)} needs the attribute ${decl.name}`, `${pointer}/@${decl.name}`);
      }
    }
    return values ?? noAttributes;
  };

  const explain = (
    result: Exclude<StepResult, { kind: 'ok' }>,
    parent: Frame,
    name: string,
    pointer: string,
  ) => {
    switch (result.kind) {
      case 'missing': {
        const missing = result.missing.map(tagOf).join(', ');
        return schemaError(
          `${tagOf(parent.name)} needs ${missing} before ${tagOf(name)} (missing, or out of XSD order)`,
          `${parent.pointer}/${result.missing[0]}`,
          { missing: result.missing, before: name },
        );
      }
      case 'too_many':
        return schemaError(
          `${tagOf(name)} may occur at most ${result.max} time(s) in ${tagOf(parent.name)}`,
          pointer,
        );
      case 'out_of_order': {
        const expected =
          result.expected.length === 0 ? 'nothing more' : result.expected.map(tagOf).join(', ');
        return schemaError(
          `${tagOf(name)} is out of XSD order in ${tagOf(parent.name)}; expected here: ${expected}`,
          pointer,
          { expected: result.expected },
        );
      }
    }
  };

  parser.on('opentag', (tag) => {
    const parent = stack.at(-1);
    const name = tag.local;
    if (parent === undefined) checkDeclaredEncoding(parser.xmlDecl.encoding, documentName);
    if (tag.uri !== '') {
      throw schemaError(
        `${tagOf(tag.name)} is in the namespace ${tag.uri}; CyberTipline elements have no namespace`,
        `${parent?.pointer ?? ''}/${tag.name}`,
      );
    }
    let frame: Frame;
    if (parent === undefined) {
      const pointer = `/${name}`;
      if (name !== options.root) {
        throw schemaError(`the root element is ${tagOf(name)}, expected ${tagOf(options.root)}`, pointer);
      }
      const type = elementType(cybertiplineModel.elements[name]!);
      const rule = drops.get(name);
      frame = newFrame(
        name,
        pointer,
        rule === undefined || rule === 'drop' ? null : rule,
        type,
        undefined,
        true,
        checkAttributes(tag, type, pointer),
      );
    } else {
      parent.childCounts ??= new Map();
      const count = (parent.childCounts.get(name) ?? 0) + 1;
      parent.childCounts.set(name, count);
      const parentType = parent.type;
      if (parentType.kind !== 'complex' || parentType.content === null) {
        const empty =
          parentType.kind === 'flag' ||
          (parentType.kind === 'complex' && parentType.def.content.kind === 'empty');
        throw schemaError(
          `${tagOf(parent.name)} ${empty ? 'is empty' : 'holds a value'} and cannot contain ${tagOf(name)}`,
          `${parent.pointer}/${name}`,
        );
      }
      const decl = parentType.declared.get(name);
      const repeatable = decl !== undefined && decl.max !== 1;
      const pointer = `${parent.pointer}/${name}${repeatable || count > 1 ? `[${count}]` : ''}`;
      const rule = parent.drops?.get(name);
      const retained = parent.retained && rule !== 'drop';
      const childDrops = rule === undefined || rule === 'drop' ? null : rule;
      if (decl === undefined) {
        const drift = driftKindOf(parentType.id, name);
        if (drift === null) {
          throw schemaError(
            `${tagOf(name)} is not an element of ${tagOf(parent.name)} in the CyberTipline schema`,
            pointer,
          );
        }
        if (count > 1)
          throw schemaError(`${tagOf(name)} may occur at most 1 time(s) in ${tagOf(parent.name)}`, pointer);
        const type: ElementType = { kind: 'flag' };
        const note: DriftNote = { path: `${documentName}#${pointer}`, kind: drift, value: null };
        driftNotes.push(note);
        frame = newFrame(
          name,
          pointer,
          childDrops,
          type,
          undefined,
          retained,
          checkAttributes(tag, type, pointer),
          note,
        );
      } else {
        const result = parent.cursor!.step(name, count - 1);
        if (result.kind !== 'ok') throw explain(result, parent, name, pointer);
        const type = elementType(decl.type);
        frame = newFrame(
          name,
          pointer,
          childDrops,
          type,
          decl.fixed,
          retained,
          checkAttributes(tag, type, pointer),
        );
      }
    }
    stack.push(frame);
  });

  const onText = (chunk: string) => {
    const frame = stack.at(-1);
    if (frame === undefined || chunk.length === 0) return;
    const type = frame.type;
    const holdsValue =
      type.kind === 'simple' || type.kind === 'flag' || (type.kind === 'complex' && type.simple);
    if (holdsValue) {
      frame.text += chunk;
      return;
    }
    if (type.kind === 'complex' && type.def.content.kind === 'empty') {
      throw schemaError(`${tagOf(frame.name)} must be empty (it has attributes only)`, frame.pointer);
    }
    if (!xmlWhitespace.test(chunk)) {
      throw schemaError(`${tagOf(frame.name)} contains elements only, not text`, frame.pointer, {
        text: chunk.trim().slice(0, 40),
      });
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.on('closetag', () => {
    const frame = stack.pop()!;
    let value: SimpleValue | null = null;
    const type = frame.type;
    if (type.kind === 'flag') {
      // A kept flag reads like the XSD's flags: empty, or the boolean true.
      if (frame.text !== '') {
        const checked = checkSimpleValue({ base: 'boolean' }, frame.text);
        if (!checked.ok || checked.value !== true) {
          throw schemaError(`${tagOf(frame.name)} is a flag and must be empty (or true)`, frame.pointer, {
            value: frame.text.slice(0, 40),
          });
        }
        frame.drift!.value = frame.text;
      }
      value = true;
    } else {
      const def = type.kind === 'simple' ? type.def : type.simple;
      if (def !== null) {
        const raw = frame.text === '' && frame.fixed !== undefined ? frame.fixed : frame.text;
        value = checkValue(def, raw, frame.pointer, tagOf(frame.name));
        if (frame.fixed !== undefined) {
          const fixedValue = checkSimpleValue(def, frame.fixed);
          if (fixedValue.ok && fixedValue.value !== value) {
            throw schemaError(
              `${tagOf(frame.name)} must be ${frame.fixed} (fixed by the schema)`,
              frame.pointer,
              {
                value: frame.text,
              },
            );
          }
        }
      } else if (type.kind === 'complex' && type.content !== null) {
        const missing = frame.cursor!.finish();
        if (missing.length > 0) {
          throw schemaError(
            `${tagOf(frame.name)} is missing ${missing.map(tagOf).join(', ')}`,
            `${frame.pointer}/${missing[0]}`,
            { missing },
          );
        }
      }
    }
    const element: XmlElement = {
      name: frame.name,
      pointer: frame.pointer,
      attributes: frame.attributes,
      children: frame.children,
      value,
    };
    const parent = stack.at(-1);
    if (parent === undefined) root = element;
    else if (frame.retained) parent.children.push(element);
  });

  parser.write(text).close();
  if (root === undefined) {
    throw new TriageError('TRIAGE_BUNDLE_XML_MALFORMED', `${documentName} has no root element`, {
      pointer: textPointer(),
    });
  }
  return { root, driftNotes };
}

/**
 * The bytes were decoded as UTF-8; a document saying otherwise is refused. Checked at the root
 * rather than with an `xmldecl` handler: a seventh saxes handler makes its parse loop ~5x slower.
 */
function checkDeclaredEncoding(encoding: string | undefined, documentName: string): void {
  if (encoding !== undefined && encoding.toUpperCase() !== 'UTF-8') {
    throw new TriageError(
      'TRIAGE_BUNDLE_ENCODING',
      `${documentName} declares encoding ${JSON.stringify(encoding)}; documents must be UTF-8`,
      { pointer: `${documentName}#byte=0`, details: { declaredEncoding: encoding } },
    );
  }
}

function newFrame(
  name: string,
  pointer: string,
  drops: DropTree | null,
  type: ElementType,
  fixed: string | undefined,
  retained: boolean,
  attributes: ReadonlyMap<string, SimpleValue>,
  drift: DriftNote | null = null,
): Frame {
  return {
    name,
    pointer,
    drops,
    type,
    fixed,
    cursor: type.kind === 'complex' && type.content !== null ? type.content.cursor() : null,
    childCounts: null,
    children: [],
    attributes,
    retained,
    drift,
    text: '',
  };
}
