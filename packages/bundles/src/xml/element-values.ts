import type { SimpleValue } from './simple-types.ts';
import type { XmlElement } from './xml-element.ts';

/**
 * Reads of a validated element's children for the mappers. The reader has already checked
 * every value against its XSD type, so a value of the wrong kind here is a mapping bug.
 */

const xmlTrim = (value: string) => value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');

function expectKind<T extends SimpleValue>(element: XmlElement, kind: string): T {
  if (typeof element.value !== kind) {
    throw new Error(`${element.pointer}: expected a ${kind} value, the model gave ${typeof element.value}`);
  }
  return element.value as T;
}

export const childrenNamed = (parent: XmlElement, name: string): XmlElement[] =>
  parent.children.filter((child) => child.name === name);

export const childNamed = (parent: XmlElement, name: string): XmlElement | undefined =>
  parent.children.find((child) => child.name === name);

/** The element's own text, trimmed. */
export const ownText = (element: XmlElement): string => xmlTrim(expectKind<string>(element, 'string'));

/** A child's text, trimmed; null when the child is absent (present but empty stays ''). */
export function textOf(parent: XmlElement, name: string): string | null {
  const child = childNamed(parent, name);
  return child === undefined ? null : ownText(child);
}

/** Every such child's text, trimmed; empty ones are left out (no identifier, no URL). */
export const textsOf = (parent: XmlElement, name: string): string[] =>
  childrenNamed(parent, name)
    .map(ownText)
    .filter((value) => value !== '');

export function booleanOf(parent: XmlElement, name: string): boolean | null {
  const child = childNamed(parent, name);
  return child === undefined ? null : expectKind<boolean>(child, 'boolean');
}

/** xs:int values, and xs:dateTime values as epoch ms. */
export function numberOf(parent: XmlElement, name: string): number | null {
  const child = childNamed(parent, name);
  return child === undefined ? null : expectKind<number>(child, 'number');
}

export function attributeOf<K extends 'string' | 'boolean' | 'number'>(
  element: XmlElement,
  name: string,
  kind: K,
): (K extends 'string' ? string : K extends 'boolean' ? boolean : number) | null {
  const value = element.attributes.get(name);
  if (value === undefined) return null;
  if (typeof value !== kind) throw new Error(`${element.pointer}/@${name}: expected a ${kind} value`);
  return value as K extends 'string' ? string : K extends 'boolean' ? boolean : number;
}
