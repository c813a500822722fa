import type { DriftNote } from '@triage/schemas';
import type { SimpleValue } from './simple-types.ts';

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
