// Issue 11: the running budgets of one bundle (document bytes, kept metadata), the XML text cap
// and the lexical number cap, refused as soon as they are passed and echoing only a prefix.
import { describe, expect, it } from 'vitest';
import { echoed, quoted } from '../echo.ts';
import { type BundleLimits, defaultBundleLimits, MAX_TEXT_LENGTH } from '../limits.ts';
import { createHashingMediaSink } from '../package/hashing-media-sink.ts';
import { errorOf } from '../testing/error-of.ts';
import { parseFileDetailsDocument } from '../xml/index.ts';
import { checkSimpleValue, MAX_LEXICAL_LENGTH } from '../xml/simple-types.ts';
import { richFileDetails } from '../xml/testing/cybertipline-samples.ts';
import { PackageCollector } from './package-collector.ts';

const collector = (limits: Partial<BundleLimits>) =>
  new PackageCollector({ limits: { ...defaultBundleLimits, ...limits }, sink: createHashingMediaSink() });

/** A fileDetails of report 4564654 whose additionalInfo holds `info`. */
const fileDetails = (fileId: string, info = 'x') =>
  Buffer.from(
    `<fileDetails><reportId>4564654</reportId><fileId>${fileId}</fileId><additionalInfo>${info}</additionalInfo></fileDetails>`,
  );

describe('the document bytes budget', () => {
  it('Given documents that together pass maxTotalDocumentBytes, when the one that passes it arrives, then it is refused by name before it is parsed', () => {
    const bundle = collector({ maxTotalDocumentBytes: 250 });
    bundle.addDocument('fileDetails-1.xml', fileDetails('f-1'));
    expect(bundle.documentBytesLeft).toBe(250 - fileDetails('f-1').length);
    // Not even well-formed: refused on its size before the parser sees it.
    const error = errorOf(() => bundle.addDocument('fileDetails-2.xml', Buffer.alloc(200, 0x3c)));
    expect(error).toMatchObject({
      code: 'TRIAGE_BUNDLE_DOCUMENTS_TOO_LARGE',
      status: 413,
      pointer: 'fileDetails-2.xml',
      details: { limit: 250, limitName: 'maxTotalDocumentBytes' },
    });
  });

  it('Given documents exactly at the budget, when added, then they are taken', () => {
    const first = fileDetails('f-1');
    const second = fileDetails('f-2');
    const bundle = collector({ maxTotalDocumentBytes: first.length + second.length });
    bundle.addDocument('a.xml', first);
    bundle.addDocument('b.xml', second);
    expect(bundle.documentBytesLeft).toBe(0);
  });
});

describe('the kept metadata budget', () => {
  it('Given fileDetails whose kept fields pass maxMetadataBytes, when the one that passes it is parsed, then 413 TRIAGE_BUNDLE_METADATA_TOO_LARGE names it', () => {
    // Each keeps its 1 000 characters and about 200 bytes of ids and structure.
    const bundle = collector({ maxMetadataBytes: 3_000 });
    bundle.addDocument('fileDetails-1.xml', fileDetails('f-1', 'a'.repeat(1_000)));
    bundle.addDocument('fileDetails-2.xml', fileDetails('f-2', 'a'.repeat(1_000)));
    const error = errorOf(() =>
      bundle.addDocument('fileDetails-3.xml', fileDetails('f-3', 'a'.repeat(1_000))),
    );
    expect(error).toMatchObject({
      code: 'TRIAGE_BUNDLE_METADATA_TOO_LARGE',
      status: 413,
      pointer: 'fileDetails-3.xml',
      details: { limit: 3_000, limitName: 'maxMetadataBytes' },
    });
  });

  it('Given a rich fileDetails, when kept, then it takes between 200 and 1 000 bytes of the budget', () => {
    const bundle = collector({ maxMetadataBytes: 1_000 });
    expect(() => bundle.addDocument('rich.xml', Buffer.from(richFileDetails))).not.toThrow();
    expect(
      errorOf(() =>
        collector({ maxMetadataBytes: 200 }).addDocument('rich.xml', Buffer.from(richFileDetails)),
      ).code,
    ).toBe('TRIAGE_BUNDLE_METADATA_TOO_LARGE');
  });
});

describe('the XML text cap', () => {
  it('Given a text field of exactly the JSON schema maxLength, when parsed, then it is kept', () => {
    const parsed = parseFileDetailsDocument(fileDetails('f-1', 'a'.repeat(MAX_TEXT_LENGTH)), 'fd.xml');
    expect(parsed.fields.additionalInfo).toBe('a'.repeat(MAX_TEXT_LENGTH));
  });

  it('Given one character more, when parsed, then 422 TRIAGE_BUNDLE_XML_SCHEMA at the element, echoing none of it', () => {
    const error = errorOf(() =>
      parseFileDetailsDocument(fileDetails('f-1', 'a'.repeat(MAX_TEXT_LENGTH + 1)), 'fd.xml'),
    );
    expect(error).toMatchObject({
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'fd.xml#/fileDetails/additionalInfo[1]',
      details: { limit: MAX_TEXT_LENGTH },
    });
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('the lexical number cap', () => {
  it('Given a 16-million-digit xs:long, when checked, then it fails at once without conversion and its message echoes 64 digits', () => {
    const digits = '7'.repeat(16_000_000);
    const started = performance.now();
    const checked = checkSimpleValue({ base: 'long' }, digits);
    expect(performance.now() - started).toBeLessThan(50);
    expect(checked).toMatchObject({ ok: false, reason: 'type' });
    const message = (checked as { message: string }).message;
    expect(message).toBe(`"${'7'.repeat(64)}…" is not a valid xs:long`);
  });

  it.each(['long', 'int', 'double'] as const)(
    'Given a %s with leading zeros up to the cap, when checked, then it passes; one more character fails',
    (base) => {
      const at = `${'0'.repeat(MAX_LEXICAL_LENGTH - 1)}7`;
      expect(checkSimpleValue({ base }, at)).toMatchObject({ ok: true, value: base === 'long' ? '7' : 7 });
      expect(checkSimpleValue({ base }, `0${at}`)).toMatchObject({ ok: false, reason: 'type' });
    },
  );

  it('Given a number in pretty-printing whitespace, when checked, then the whitespace does not count against the cap', () => {
    expect(checkSimpleValue({ base: 'int' }, `\n${' '.repeat(200)}42\n`)).toEqual({ ok: true, value: 42 });
  });

  it('Given a 16-million-digit reportId in a document, when parsed, then the problem repeats at most 64 characters of it', () => {
    const error = errorOf(() =>
      parseFileDetailsDocument(
        Buffer.from(
          `<fileDetails><reportId>${'9'.repeat(70_000)}</reportId><fileId>f</fileId></fileDetails>`,
        ),
        'fd.xml',
      ),
    );
    expect(error.code).toBe('TRIAGE_BUNDLE_XML_SCHEMA');
    expect(JSON.stringify(error.details).length + error.message.length).toBeLessThan(400);
  });
});

describe('echoed', () => {
  it('Given values up to 64 characters, when echoed, then they are whole; longer ones are cut with an ellipsis', () => {
    expect(echoed('a'.repeat(64))).toBe('a'.repeat(64));
    expect(echoed('a'.repeat(65))).toBe(`${'a'.repeat(64)}…`);
    expect(quoted('b'.repeat(100))).toBe(`"${'b'.repeat(64)}…"`);
  });
});
