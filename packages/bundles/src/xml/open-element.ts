import type { DriftNote } from '@triage/schemas';
import type { CompiledContent } from './content-matcher.ts';
import type { DropTree } from './drop-tree.ts';
import type { ElementType } from './element-types.ts';
import type { SimpleValue } from './simple-types.ts';
import type { XmlElement } from './xml-element.ts';

/** An element between its start and end tag: what it is, and what it has collected so far. */
export interface OpenElement {
  readonly name: string;
  readonly pointer: string;
  /** The not-kept rules below this element. */
  readonly drops: DropTree | null;
  readonly type: ElementType;
  /** The schema's fixed value, which an empty element takes. */
  readonly fixed: string | undefined;
  /** Follows the children through the content model; null without element content. */
  readonly cursor: ReturnType<CompiledContent['cursor']> | null;
  /** Occurrences so far per child name; created at the first child. */
  childCounts: Map<string, number> | null;
  /** The kept children, in document order. */
  readonly children: XmlElement[];
  readonly attributes: ReadonlyMap<string, SimpleValue>;
  /** False inside a not-kept subtree: validated, then forgotten. */
  readonly retained: boolean;
  /** The drift note of a kept element the model does not declare. */
  readonly drift: DriftNote | null;
  /** The text content so far. */
  text: string;
}

export interface OpenElementOptions {
  readonly name: string;
  readonly pointer: string;
  readonly drops: DropTree | null;
  readonly type: ElementType;
  readonly fixed?: string | undefined;
  readonly retained: boolean;
  readonly attributes: ReadonlyMap<string, SimpleValue>;
  readonly drift?: DriftNote;
}

export function openElement(options: OpenElementOptions): OpenElement {
  const { type } = options;
  return {
    name: options.name,
    pointer: options.pointer,
    drops: options.drops,
    type,
    fixed: options.fixed,
    cursor: type.kind === 'complex' && type.content !== null ? type.content.cursor() : null,
    childCounts: null,
    children: [],
    attributes: options.attributes,
    retained: options.retained,
    drift: options.drift ?? null,
    text: '',
  };
}
