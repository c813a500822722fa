import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TriageError } from '@triage/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportDocument } from './report-document.ts';
import { readNcmecFile } from './testing/cybertipline-samples.ts';

/**
 * XXE: external entities, external DTDs and schema locations must never be fetched. A local
 * HTTP server counts requests and a temp file holds a marker; every document points at them.
 */

const marker = 'MARKER-4f1c-not-to-be-read';
let server: Server;
let base = '';
let requests = 0;
let dir = '';
let secretFile = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-xxe-'));
  secretFile = join(dir, 'secret.txt');
  writeFileSync(secretFile, marker);
  server = createServer((_request, response) => {
    requests += 1;
    response.end(`<!ENTITY leak "${marker}">`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Lets any request a parser might have started reach the server before counting. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 100));

const report61 = readNcmecFile('ncmec-doc-6.1-report.xml').toString();
const withIncidentType = (prolog: string, incidentType: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${prolog}\n${report61
    .replace(/^<\?xml.*\?>\n/, '')
    .replace(/<incidentType>.*<\/incidentType>/, `<incidentType>${incidentType}</incidentType>`)}`;

describe('external entities and schema locations', () => {
  it.each([
    [
      'an external general entity over HTTP',
      () => withIncidentType(`<!DOCTYPE report [<!ENTITY x SYSTEM "${base}/entity">]>`, '&x;'),
    ],
    [
      'an external general entity on a local file',
      () => withIncidentType(`<!DOCTYPE report [<!ENTITY x SYSTEM "file://${secretFile}">]>`, '&x;'),
    ],
    ['an external DTD', () => withIncidentType(`<!DOCTYPE report SYSTEM "${base}/dtd">`, '&leak;')],
    [
      'a parameter entity',
      () => withIncidentType(`<!DOCTYPE report [<!ENTITY % p SYSTEM "${base}/param"> %p;]>`, '&leak;'),
    ],
  ])(
    'Given %s, when parsed, then it is refused, nothing is fetched and nothing of the target appears',
    async (_name, document) => {
      let caught: unknown;
      try {
        parseReportDocument(Buffer.from(document()), 'report.xml');
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(TriageError);
      expect((caught as TriageError).code).toBe('TRIAGE_BUNDLE_XML_FORBIDDEN');
      expect(JSON.stringify((caught as TriageError).toJSON())).not.toContain(marker);
      await settled();
      expect(requests).toBe(0);
    },
  );

  it('Given schema locations pointing at the local server, when a valid report is parsed, then it is accepted and the locations are never fetched', async () => {
    const document = report61.replace(
      'xsi:noNamespaceSchemaLocation="https://report.cybertip.org/ispws/xsd"',
      `xsi:noNamespaceSchemaLocation="${base}/xsd" xsi:schemaLocation="urn:x ${base}/other.xsd"`,
    );

    const { fields } = parseReportDocument(Buffer.from(document), 'report.xml');

    expect(fields.incidentType).toBe('CHILD_PORNOGRAPHY');
    await settled();
    expect(requests).toBe(0);
  });
});
