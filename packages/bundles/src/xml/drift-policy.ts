import type { TypeRef } from './xsd-model.ts';

/**
 * Schema drift: NCMEC adds elements over time, and a partner may send a document newer than the
 * XSD copy the model was compiled from. The policy (docs/ncmec-xml.md):
 * - an element listed in `newerElements` is accepted anywhere inside its container, kept, and
 *   recorded as a `newer_element` drift note;
 * - inside the flag lists NCMEC extends (`openFlagContainers`), any other unknown flag is
 *   accepted the same way as an `unknown_element` drift note;
 * - every other unknown element is rejected (TRIAGE_BUNDLE_XML_SCHEMA): silently dropping data
 *   from a police report is worse than asking the partner for a fix. Order is never relaxed
 *   for the elements the XSD knows.
 */

export interface NewerElement {
  /** The complex type of the parent element. */
  readonly container: TypeRef;
  readonly name: string;
  /** Newer elements are flags for now: empty (or `true`), no attributes, no children. */
  readonly content: 'flag';
  /** Where NCMEC introduced it. */
  readonly source: string;
}

export const newerElements: readonly NewerElement[] = [
  {
    container: 'reportAnnotations',
    name: 'informational',
    content: 'flag',
    source:
      'NCMEC CyberTipline Reporting API documentation (report annotation newer than the shared XSD copy)',
  },
];

/** Complex types that are lists of flags NCMEC extends; unknown flags in them are kept. */
export const openFlagContainers: readonly TypeRef[] = ['reportAnnotations', 'fileAnnotations'];

export type DriftKind = 'newer_element' | 'unknown_element';

/** How an element the model does not declare inside `container` is treated; null = rejected. */
export function driftKindOf(container: TypeRef, name: string): DriftKind | null {
  if (newerElements.some((element) => element.container === container && element.name === name)) {
    return 'newer_element';
  }
  return openFlagContainers.includes(container) ? 'unknown_element' : null;
}
