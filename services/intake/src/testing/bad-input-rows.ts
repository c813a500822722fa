// Issue 3's bad-input table as data: each row a bad upload with the status, catalogue code and
// pointer a partner must get. Sent through the app in process by intake-bad-input.int.test.ts and
// through intake's live process by the cross-service hostile-input test.
import { randomBytes, randomUUID } from 'node:crypto';
import type { BundleLimits } from '@triage/bundles';
import { makeZip, renameEntry, syntheticImage } from '@triage/testkit';
import { jsonBundle, minimalReport, multipartBody, ncmecDocument } from './intake-harness.ts';

/** One bad upload: its content type, body, more headers, and another URL than `/v1/bundles`. */
export interface BadRequest {
  contentType: string;
  payload: Buffer;
  headers?: Record<string, string>;
  url?: string;
}

/** One row of the table: the upload, the limits it runs under, and the problem a partner must get. */
export interface BadInputRow {
  name: string;
  request: () => Promise<BadRequest>;
  limits?: Partial<BundleLimits>;
  recordMaxBytes?: number;
  status: number;
  code: string;
  pointer: string;
}

const zip = (payload: Buffer): BadRequest => ({ contentType: 'application/zip', payload });
const json = (payload: Buffer | string): BadRequest => ({
  contentType: 'application/json',
  payload: Buffer.from(payload),
});
const xml = (payload: Buffer | string): BadRequest => ({
  contentType: 'application/xml',
  payload: Buffer.from(payload),
  headers: { 'idempotency-key': `bad-${randomUUID()}` },
});

async function report61(): Promise<string> {
  return (await ncmecDocument('ncmec-doc-6.1-report.xml')).toString('utf8');
}

/** A ZIP whose manifest names `a.png`, plus the entries given. */
async function packageWith(
  ...entries: { name: string; data: Buffer; compress?: boolean }[]
): Promise<Buffer> {
  return makeZip([
    {
      name: 'bundle.json',
      data: jsonBundle(`bad-${randomUUID()}`, [
        minimalReport('9001', { files: [{ fileId: 'f', name: 'a.png' }] }),
      ]),
    },
    ...entries,
  ]);
}

const image = await syntheticImage(501, 32, 24);
/** The §6.1 report up to its reporter's last name, where a broken two-byte sequence follows. */
const badUtf8Prefix = Buffer.from((await report61()).split('Smith')[0]!);

/** Issue 3's bad inputs, one row each (in process: intake-bad-input.int.test.ts; live: test/hostile-input-live.int.test.ts). */
export const badInputRows: readonly BadInputRow[] = [
  {
    name: 'bundle over maxBundleBytes',
    limits: { maxBundleBytes: 50_000 },
    request: async () =>
      zip(await packageWith({ name: 'a.png', data: randomBytes(60_000), compress: false })),
    status: 413,
    code: 'TRIAGE_BUNDLE_TOO_LARGE',
    pointer: '/headers/content-length',
  },
  {
    name: 'file over maxFileBytes',
    limits: { maxFileBytes: 10_000 },
    request: async () =>
      zip(await packageWith({ name: 'a.png', data: randomBytes(20_000), compress: false })),
    status: 413,
    code: 'TRIAGE_BUNDLE_FILE_TOO_LARGE',
    pointer: 'a.png',
  },
  {
    name: 'document over maxDocumentBytes',
    limits: { maxDocumentBytes: 2_000 },
    request: async () => json(jsonBundle('big', [minimalReport('1', { additionalInfo: 'x'.repeat(3_000) })])),
    status: 413,
    code: 'TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE',
    pointer: '/body',
  },
  {
    name: 'Bundle record over the bundles topic record limit',
    recordMaxBytes: 4_000,
    request: async () =>
      json(
        jsonBundle(
          'record',
          Array.from({ length: 12 }, (_, index) =>
            minimalReport(String(index), { additionalInfo: 'y'.repeat(300) }),
          ),
        ),
      ),
    status: 413,
    code: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
    pointer: '/reports',
  },
  {
    name: 'ZIP with more entries than maxEntries',
    limits: { maxEntries: 3 },
    request: async () =>
      zip(
        await packageWith(
          { name: 'a.png', data: image },
          { name: 'b.png', data: image },
          { name: 'c.png', data: image },
          { name: 'd.png', data: image },
        ),
      ),
    status: 413,
    code: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
    pointer: '',
  },
  {
    name: 'ZIP entry over the compression ratio',
    request: async () => zip(await packageWith({ name: 'a.png', data: Buffer.alloc(3 * 1024 * 1024) })),
    status: 413,
    code: 'TRIAGE_BUNDLE_ZIP_BOMB',
    pointer: 'a.png',
  },
  {
    name: 'ZIP over the total uncompressed size (zip bomb)',
    limits: { maxUncompressedBytes: 100_000 },
    request: async () =>
      zip(
        await packageWith(
          { name: 'a.png', data: randomBytes(60_000) },
          { name: 'b.png', data: randomBytes(60_000) },
        ),
      ),
    status: 413,
    code: 'TRIAGE_BUNDLE_ZIP_BOMB',
    pointer: 'b.png',
  },
  {
    name: 'ZIP entry with a path traversal',
    request: async () =>
      zip(renameEntry(await packageWith({ name: 'xx/evil.png', data: image }), 'xx/evil.png', '../evil.png')),
    status: 400,
    code: 'TRIAGE_BUNDLE_PATH_UNSAFE',
    pointer: '../evil.png',
  },
  {
    name: 'ZIP entry with an absolute name',
    request: async () =>
      zip(
        renameEntry(
          await packageWith({ name: 'Xetc/evil.png', data: image }),
          'Xetc/evil.png',
          '/etc/evil.png',
        ),
      ),
    status: 400,
    code: 'TRIAGE_BUNDLE_PATH_UNSAFE',
    pointer: '/etc/evil.png',
  },
  {
    name: 'XML with a DOCTYPE',
    request: async () => xml((await report61()).replace('<report ', '<!DOCTYPE report>\n<report ')),
    status: 400,
    code: 'TRIAGE_BUNDLE_XML_FORBIDDEN',
    pointer: 'report.xml:2:17',
  },
  {
    name: 'XML with entity expansion (billion laughs)',
    request: async () =>
      xml(
        '<?xml version="1.0"?>\n<!DOCTYPE report [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<report>&b;</report>',
      ),
    status: 400,
    code: 'TRIAGE_BUNDLE_XML_FORBIDDEN',
    pointer: 'report.xml:2:88',
  },
  {
    name: 'XML with an external entity (XXE)',
    request: async () =>
      xml(
        '<?xml version="1.0"?>\n<!DOCTYPE report [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<report><additionalInfo>&xxe;</additionalInfo></report>',
      ),
    status: 400,
    code: 'TRIAGE_BUNDLE_XML_FORBIDDEN',
    pointer: 'report.xml:2:61',
  },
  {
    name: 'malformed XML (unquoted attribute)',
    request: async () => xml('<?xml version="1.0"?>\n<report>\n  <incidentSummary attr=unquoted>\n</report>'),
    status: 400,
    code: 'TRIAGE_BUNDLE_XML_MALFORMED',
    pointer: 'report.xml:3:25',
  },
  {
    name: 'malformed XML (mismatched close tag)',
    request: async () =>
      xml(
        '<?xml version="1.0"?>\n<report>\n  <incidentSummary>\n    <incidentType>Child Sex Tourism</incidentTyp>\n',
      ),
    status: 400,
    code: 'TRIAGE_BUNDLE_XML_MALFORMED',
    pointer: 'report.xml:4:49',
  },
  {
    name: "a document whose root is no CyberTipline element (another tool's invented schema)",
    request: async () => xml(await ncmecDocument('cybertip-triage-invented-schema.negative.xml')),
    status: 422,
    code: 'TRIAGE_BUNDLE_XML_SCHEMA',
    pointer: 'report.xml#/',
  },
  {
    name: 'element out of XSD order',
    request: async () => {
      const document = await report61();
      const reporter = document.slice(
        document.indexOf('    <reporter>'),
        document.indexOf('</reporter>') + '</reporter>\n'.length,
      );
      return xml(
        document.replace(reporter, '').replace('    <internetDetails>', `${reporter}    <internetDetails>`),
      );
    },
    status: 422,
    code: 'TRIAGE_BUNDLE_XML_SCHEMA',
    pointer: 'report.xml#/report/internetDetails[1]',
  },
  {
    name: 'unknown enum value',
    request: async () =>
      xml(
        (await report61()).replace(
          'Child Pornography (possession, manufacture, and distribution)',
          'Something NCMEC never defined',
        ),
      ),
    status: 422,
    code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN',
    pointer: 'report.xml#/report/incidentSummary/incidentType',
  },
  {
    name: 'invalid UTF-8',
    request: async () =>
      xml(Buffer.concat([badUtf8Prefix, Buffer.from([0xc3, 0x28]), Buffer.from('</report>\n')])),
    status: 400,
    code: 'TRIAGE_BUNDLE_ENCODING',
    pointer: `report.xml#byte=${badUtf8Prefix.length}`,
  },
  {
    name: 'wrong content type',
    request: async () => ({ contentType: 'application/x-tar', payload: Buffer.from('not a bundle') }),
    status: 415,
    code: 'TRIAGE_BUNDLE_CONTENT_TYPE',
    pointer: '/headers/content-type',
  },
  {
    name: 'file named by the manifest missing',
    request: async () =>
      json(
        jsonBundle('missing', [minimalReport('1', { files: [{ fileId: 'f-1', name: 'media/f-1.png' }] })]),
      ),
    status: 422,
    code: 'TRIAGE_BUNDLE_FILE_MISSING',
    pointer: '/reports/0/files/0/name',
  },
  {
    name: 'file not named by the manifest',
    request: async () =>
      zip(await packageWith({ name: 'a.png', data: image }, { name: 'extra.png', data: image })),
    status: 422,
    code: 'TRIAGE_BUNDLE_FILE_UNEXPECTED',
    pointer: 'extra.png',
  },
  {
    name: 'multipart file part not named by the manifest',
    request: async () => {
      const form = multipartBody([
        { name: 'manifest', contentType: 'application/json', data: jsonBundle('mp-bad') },
        { name: 'file', filename: 'stray.png', contentType: 'image/png', data: image },
      ]);
      return { contentType: form.contentType, payload: form.payload };
    },
    status: 422,
    code: 'TRIAGE_BUNDLE_FILE_UNEXPECTED',
    pointer: 'stray.png',
  },
  {
    // Part filenames keep their folders (preservePath), so they get the ZIP's name checks.
    name: 'multipart file part with a path traversal',
    request: async () => {
      const form = multipartBody([
        { name: 'manifest', contentType: 'application/json', data: jsonBundle('mp-traversal') },
        { name: 'file', filename: 'media/../../evil.png', contentType: 'image/png', data: image },
      ]);
      return { contentType: form.contentType, payload: form.payload };
    },
    status: 400,
    code: 'TRIAGE_BUNDLE_PATH_UNSAFE',
    pointer: 'media/../../evil.png',
  },
  {
    name: 'multipart manifest of malformed JSON',
    request: async () => {
      const form = multipartBody([
        { name: 'manifest', contentType: 'application/json', data: '{"bundleRef": ' },
      ]);
      return { contentType: form.contentType, payload: form.payload };
    },
    status: 400,
    code: 'TRIAGE_BUNDLE_JSON_MALFORMED',
    pointer: '/parts/manifest',
  },
  {
    name: 'multipart without a boundary',
    request: async () => ({ contentType: 'multipart/form-data', payload: Buffer.from('--x\r\n\r\n') }),
    status: 400,
    code: 'TRIAGE_REQUEST_INVALID',
    pointer: '/headers/content-type',
  },
  {
    name: 'multipart body cut off in a file part',
    request: async () => {
      const form = multipartBody([
        { name: 'file', filename: 'a.png', contentType: 'image/png', data: image },
      ]);
      return { contentType: form.contentType, payload: form.payload.subarray(0, form.payload.length - 60) };
    },
    status: 400,
    code: 'TRIAGE_REQUEST_INVALID',
    pointer: '/body',
  },
  {
    name: 'multipart part of an unknown name',
    request: async () => {
      const form = multipartBody([
        { name: 'attachment', filename: 'x.bin', contentType: 'application/octet-stream', data: image },
      ]);
      return { contentType: form.contentType, payload: form.payload };
    },
    status: 400,
    code: 'TRIAGE_REQUEST_INVALID',
    pointer: '/parts/attachment',
  },
  {
    name: 'report id query parameter with a slash',
    request: async () => ({ ...xml(await report61()), url: '/v1/bundles?reportId=a/b' }),
    status: 400,
    code: 'TRIAGE_REQUEST_INVALID',
    pointer: '/querystring/reportId',
  },
  {
    name: 'ZIP body that is no ZIP',
    request: async () => zip(Buffer.from('PK but not really a zip archive')),
    status: 400,
    code: 'TRIAGE_BUNDLE_ZIP_INVALID',
    pointer: '',
  },
  {
    name: 'empty JSON body',
    request: async () => json(''),
    status: 400,
    code: 'TRIAGE_BUNDLE_JSON_MALFORMED',
    pointer: '',
  },
  {
    name: 'malformed JSON',
    request: async () => json('{"bundleRef": "x", "reports": ['),
    status: 400,
    code: 'TRIAGE_BUNDLE_JSON_MALFORMED',
    pointer: '',
  },
  {
    name: 'JSON schema violation',
    request: async () => json(jsonBundle('schema', [minimalReport('1', { suspect: 'not a field' })])),
    status: 422,
    code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
    pointer: '/reports/0/suspect',
  },
  {
    name: 'XML without an Idempotency-Key',
    request: async () => ({ contentType: 'text/xml', payload: Buffer.from(await report61()) }),
    status: 400,
    code: 'TRIAGE_REQUEST_INVALID',
    pointer: '/headers/idempotency-key',
  },
];
