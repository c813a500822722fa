import type { SaxesTagNS } from 'saxes';
import type { AttributeType, ElementType } from './element-types.ts';
import { type ReadErrors, tagOf } from './read-errors.ts';
import type { SimpleValue } from './simple-types.ts';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** Schema hints a document may carry; they are never fetched. */
const xsiHints = new Set(['noNamespaceSchemaLocation', 'schemaLocation']);
const noAttributes: ReadonlyMap<string, SimpleValue> = new Map();
const noDeclarations: ReadonlyMap<string, AttributeType> = new Map();

/**
 * The typed attribute values of an element at `pointer`: every attribute declared by its type,
 * every required one present. Namespace declarations and xsi schema hints are skipped; any
 * other xsi attribute (type substitution, nil) is refused.
 */
export function checkAttributes(
  tag: SaxesTagNS,
  type: ElementType,
  pointer: string,
  errors: ReadErrors,
): ReadonlyMap<string, SimpleValue> {
  let values: Map<string, SimpleValue> | undefined;
  const declared = type.kind === 'complex' ? type.attributes : noDeclarations;
  for (const key in tag.attributes) {
    const attribute = tag.attributes[key]!;
    if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
    const attributePointer = `${pointer}/@${attribute.name}`;
    if (attribute.uri === XSI) {
      if (xsiHints.has(attribute.local)) continue;
      throw errors.schema(`the attribute ${attribute.name} is not supported`, attributePointer);
    }
    const decl = attribute.uri === '' ? declared.get(attribute.local) : undefined;
    if (decl === undefined) {
      throw errors.schema(`${tagOf(tag.local)} has no attribute ${attribute.name}`, attributePointer);
    }
    values ??= new Map();
    values.set(
      decl.name,
      errors.value(decl.def, attribute.value, attributePointer, `attribute ${attribute.name}`),
    );
  }
  for (const decl of declared.values()) {
    if (decl.required && values?.has(decl.name) !== true) {
      throw errors.schema(`${tagOf(tag.local)} needs the attribute ${decl.name}`, `${pointer}/@${decl.name}`);
    }
  }
  return values ?? noAttributes;
}
