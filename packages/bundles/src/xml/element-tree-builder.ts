import type { DriftNote } from '@triage/schemas';
import type { SaxesTagNS } from 'saxes';
import { MAX_TEXT_LENGTH } from '../limits.ts';
import { misplacedChildError } from './content-errors.ts';
import { driftKindOf } from './drift-policy.ts';
import { type DropTree, rulesBelow } from './drop-tree.ts';
import { checkAttributes } from './element-attributes.ts';
import { elementType } from './element-types.ts';
import { closedValue } from './element-value.ts';
import { cybertiplineModel } from './generated/cybertipline-model.ts';
import { type OpenElement, openElement } from './open-element.ts';
import { type ReadErrors, tagOf } from './read-errors.ts';
import type { CyberTiplineDocument, XmlElement } from './xml-element.ts';
import type { ElementParticle } from './xsd-model.ts';

export interface ElementTreeBuilderOptions {
  readonly documentName: string;
  /** The root element the document must have. */
  readonly root: 'report' | 'fileDetails';
  /** Validated but not kept. */
  readonly drops: DropTree;
  readonly errors: ReadErrors;
}

const xmlWhitespace = /^[\t\n\r ]*$/;

/**
 * Builds the kept tree from a parser's start tags, text and end tags, checking each element
 * against the CyberTipline model as it comes: its place in the parent's content model, its
 * attributes, its text and, at its end tag, its value and its missing children.
 */
export class ElementTreeBuilder {
  readonly #options: ElementTreeBuilderOptions;
  readonly #errors: ReadErrors;
  readonly #open: OpenElement[] = [];
  readonly #driftNotes: DriftNote[] = [];
  #root: XmlElement | undefined;

  constructor(options: ElementTreeBuilderOptions) {
    this.#options = options;
    this.#errors = options.errors;
  }

  /** True while no element is open: the next start tag is a root. */
  get atRoot(): boolean {
    return this.#open.length === 0;
  }

  startTag(tag: SaxesTagNS): void {
    const parent = this.#open.at(-1);
    if (tag.uri !== '') {
      throw this.#errors.schema(
        `${tagOf(tag.name)} is in the namespace ${tag.uri}; CyberTipline elements have no namespace`,
        `${parent?.pointer ?? ''}/${tag.name}`,
      );
    }
    this.#open.push(parent === undefined ? this.#openRoot(tag) : this.#openChild(parent, tag));
  }

  /** Text and CDATA: collected where the element holds a value, else only whitespace may occur. */
  text(chunk: string): void {
    const element = this.#open.at(-1);
    if (element === undefined || chunk.length === 0) return;
    const type = element.type;
    const holdsValue =
      type.kind === 'simple' || type.kind === 'flag' || (type.kind === 'complex' && type.simple);
    if (holdsValue) {
      element.text += chunk;
      // The JSON manifest's maxLength, refused as the text arrives rather than at the end tag.
      if (element.text.length > MAX_TEXT_LENGTH) {
        throw this.#errors.schema(
          `${tagOf(element.name)} has more than ${MAX_TEXT_LENGTH} characters, the most a text field may have`,
          element.pointer,
          { limit: MAX_TEXT_LENGTH },
        );
      }
      return;
    }
    if (type.kind === 'complex' && type.def.content.kind === 'empty') {
      throw this.#errors.schema(
        `${tagOf(element.name)} must be empty (it has attributes only)`,
        element.pointer,
      );
    }
    if (!xmlWhitespace.test(chunk)) {
      throw this.#errors.schema(`${tagOf(element.name)} contains elements only, not text`, element.pointer, {
        text: chunk.trim().slice(0, 40),
      });
    }
  }

  endTag(): void {
    const element = this.#open.pop()!;
    const value = closedValue(element, this.#errors);
    if (element.drift !== null && element.text !== '') element.drift.value = element.text;
    const closed: XmlElement = {
      name: element.name,
      pointer: element.pointer,
      attributes: element.attributes,
      children: element.children,
      value,
    };
    const parent = this.#open.at(-1);
    if (parent === undefined) this.#root = closed;
    else if (element.retained) parent.children.push(closed);
  }

  /** The kept tree and the drift notes; undefined until a root element has ended. */
  document(): CyberTiplineDocument | undefined {
    return this.#root === undefined ? undefined : { root: this.#root, driftNotes: this.#driftNotes };
  }

  #openRoot(tag: SaxesTagNS): OpenElement {
    const name = tag.local;
    const pointer = `/${name}`;
    if (name !== this.#options.root) {
      throw this.#errors.schema(
        `the root element is ${tagOf(name)}, expected ${tagOf(this.#options.root)}`,
        pointer,
      );
    }
    const type = elementType(cybertiplineModel.elements[name]!);
    return openElement({
      name,
      pointer,
      drops: rulesBelow(this.#options.drops.get(name)),
      type,
      retained: true,
      attributes: checkAttributes(tag, type, pointer, this.#errors),
    });
  }

  #openChild(parent: OpenElement, tag: SaxesTagNS): OpenElement {
    const name = tag.local;
    parent.childCounts ??= new Map();
    const count = (parent.childCounts.get(name) ?? 0) + 1;
    parent.childCounts.set(name, count);
    const parentType = parent.type;
    if (parentType.kind !== 'complex' || parentType.content === null) {
      const empty =
        parentType.kind === 'flag' ||
        (parentType.kind === 'complex' && parentType.def.content.kind === 'empty');
      throw this.#errors.schema(
        `${tagOf(parent.name)} ${empty ? 'is empty' : 'holds a value'} and cannot contain ${tagOf(name)}`,
        `${parent.pointer}/${name}`,
      );
    }
    const decl = parentType.declared.get(name);
    const pointer = childPointer(parent.pointer, name, decl, count);
    const rule = parent.drops?.get(name);
    const retained = parent.retained && rule !== 'drop';
    const drops = rulesBelow(rule);
    if (decl === undefined) {
      return this.#openUndeclared(tag, { parent, container: parentType.id, pointer, count, retained, drops });
    }
    const result = parent.cursor!.step(name, count - 1);
    if (result.kind !== 'ok') throw misplacedChildError(result, { parent, name, pointer }, this.#errors);
    const type = elementType(decl.type);
    return openElement({
      name,
      pointer,
      drops,
      type,
      fixed: decl.fixed,
      retained,
      attributes: checkAttributes(tag, type, pointer, this.#errors),
    });
  }

  /** An element the model does not declare: a flag under the drift policy, or refused. */
  #openUndeclared(tag: SaxesTagNS, place: UndeclaredPlace): OpenElement {
    const { parent, pointer } = place;
    const name = tag.local;
    const drift = driftKindOf(place.container, name);
    if (drift === null) {
      throw this.#errors.schema(
        `${tagOf(name)} is not an element of ${tagOf(parent.name)} in the CyberTipline schema`,
        pointer,
      );
    }
    if (place.count > 1) {
      throw this.#errors.schema(
        `${tagOf(name)} may occur at most 1 time(s) in ${tagOf(parent.name)}`,
        pointer,
      );
    }
    const note: DriftNote = { path: `${this.#options.documentName}#${pointer}`, kind: drift, value: null };
    this.#driftNotes.push(note);
    const type = { kind: 'flag' } as const;
    return openElement({
      name,
      pointer,
      drops: place.drops,
      type,
      retained: place.retained,
      attributes: checkAttributes(tag, type, pointer, this.#errors),
      drift: note,
    });
  }
}

interface UndeclaredPlace {
  readonly parent: OpenElement;
  /** The parent's complex type, which the drift policy is keyed by. */
  readonly container: string;
  readonly pointer: string;
  /** Occurrences of this name in the parent so far, this one included. */
  readonly count: number;
  readonly retained: boolean;
  readonly drops: DropTree | null;
}

/**
 * The path of the `count`-th child `name` of the element at `parentPointer`: indexed (1-based)
 * when the element is repeatable, or when it repeats although it may not.
 */
export function childPointer(
  parentPointer: string,
  name: string,
  decl: ElementParticle | undefined,
  count: number,
): string {
  const repeatable = decl !== undefined && decl.max !== 1;
  return `${parentPointer}/${name}${repeatable || count > 1 ? `[${count}]` : ''}`;
}
