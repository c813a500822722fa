import { TriageError } from '@triage/errors';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes strict UTF-8 (a leading BOM is dropped); anything else is TRIAGE_BUNDLE_ENCODING. */
export function decodeUtf8(bytes: Uint8Array, documentName: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch (error) {
    throw new TriageError('TRIAGE_BUNDLE_ENCODING', `${documentName} is not valid UTF-8`, {
      cause: error,
      pointer: '',
      details: { document: documentName },
    });
  }
}
