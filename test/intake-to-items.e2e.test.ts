// Every wire format through a listening intake (its own process, real HTTP) into real Kafka, the
// splitter running here on the same topics: the reports and items read back, the status route,
// a re-sent bundle that yields nothing new and a revised report that yields version 2.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uploadPackage } from '@triage/feed';
import { type IntakeProcess, startIntakeProcess } from '@triage/intake/testing';
import { pipelineTopics } from '@triage/messaging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import type { Item, Report } from '@triage/schemas';
import { createSplitterService } from '@triage/splitter/service';
import { makeZip, syntheticImage } from '@triage/testkit';
import sharp from 'sharp';
import { expect } from 'vitest';
import {
  bundleStatus,
  codec,
  expectedBundleId,
  groupBy,
  logger,
  md5,
  recordCounts,
  sha1,
  sha256,
  statusWhenSplit,
} from './support/pipeline.ts';

const partnerId = 'hotline-e2e';
const splitterGroup = 'splitter-e2e';
const ncmec = new URL('../../shared/data/ncmec/', import.meta.url);
const topics = [
  pipelineTopics.bundles,
  pipelineTopics.bundleStatus,
  pipelineTopics.reports,
  pipelineTopics.items,
];

interface Media {
  bytes: Buffer;
  mediaType: string;
}

async function png(seed: number): Promise<Media> {
  return { bytes: await syntheticImage(seed, 96, 64), mediaType: 'image/png' };
}

async function jpeg(seed: number): Promise<Media> {
  return {
    bytes: await sharp(await syntheticImage(seed, 96, 64))
      .jpeg({ quality: 80 })
      .toBuffer(),
    mediaType: 'image/jpeg',
  };
}

/** A package folder on disk, as a partner keeps one. */
async function writeFolder(folder: string, entries: Record<string, Buffer | string>): Promise<string> {
  for (const [name, data] of Object.entries(entries)) {
    await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
    await writeFile(path.join(folder, name), data);
  }
  return folder;
}

const person = {
  screenName: 'invented-screen-name',
  emails: ['suspect-e2e@example.com'],
  ipCaptureEvents: [
    {
      ipAddress: '203.0.113.7',
      eventName: 'Login',
      dateTime: '2026-11-20T21:00:00Z',
      possibleProxy: false,
      port: 51234,
    },
  ],
  estimatedLocation: { countryCode: 'NL', city: 'Utrecht' },
};

function reportXml(urls: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<report>
  <incidentSummary>
    <incidentType>Online Enticement of Children for Sexual Acts</incidentType>
    <escalateToHighPriority>Invented escalation text for an end-to-end test</escalateToHighPriority>
    <reportAnnotations><sextortion/></reportAnnotations>
    <incidentDateTime>2026-11-20T21:14:00Z</incidentDateTime>
  </incidentSummary>
  <internetDetails><webPageIncident>${urls.map((url) => `<url>${url}</url>`).join('')}</webPageIncident></internetDetails>
  <reporter><reportingPerson><firstName>Ann</firstName><lastName>Example</lastName><email>reports@example.com</email></reportingPerson></reporter>
</report>
`;
}

function fileDetailsXml(file: {
  reportId: string;
  fileId: string;
  fileName: string;
  originalFileName: string;
  md5: string;
  sha1: string;
  annotation: string;
  classification: string;
}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<fileDetails>
  <reportId>${file.reportId}</reportId>
  <fileId>${file.fileId}</fileId>
  <fileName>${file.fileName}</fileName>
  <originalFileName>${file.originalFileName}</originalFileName>
  <fileViewedByEsp>true</fileViewedByEsp>
  <fileAnnotations><${file.annotation}/></fileAnnotations>
  <industryClassification>${file.classification}</industryClassification>
  <originalFileHash hashType="MD5">${file.md5}</originalFileHash>
  <originalFileHash hashType="SHA1">${file.sha1}</originalFileHash>
  <ipCaptureEvent><ipAddress>198.51.100.23</ipAddress><eventName>Upload</eventName><dateTime>2026-11-20T20:00:00Z</dateTime></ipCaptureEvent>
</fileDetails>
`;
}

async function post(
  intake: IntakeProcess,
  body: Buffer | string,
  headers: Record<string, string>,
  query = '',
): Promise<{ status: number; body: Record<string, unknown>; replayed: string | null }> {
  const response = await fetch(new URL(`/v1/bundles${query}`, intake.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${intake.keys.get(partnerId)!}`, ...headers },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    replayed: response.headers.get('idempotent-replayed'),
  };
}

async function readSplit(kafka: KafkaFixture, reports: number, items: number) {
  const [reportRecords, itemRecords] = await Promise.all([
    kafka.readTopic(pipelineTopics.reports.name, reports, 60_000),
    kafka.readTopic(pipelineTopics.items.name, items, 60_000),
  ]);
  return {
    reports: reportRecords.map((record) => ({
      key: record.key,
      report: codec.decode('Report', record.value!),
    })),
    items: itemRecords.map((record) => ({ key: record.key, item: codec.decode('Item', record.value!) })),
  };
}

/** The items of one report version, by item id, after checking their keys, indexes and counts. */
function itemsOf(report: Report, items: readonly { key: string; item: Item }[]): Map<string, Item> {
  const mine = items.filter(
    ({ item }) => item.reportId === report.reportId && item.reportVersion === report.version,
  );
  for (const { key, item } of mine) {
    expect(key, item.itemId).toBe(report.reportId);
    expect(item, item.itemId).toMatchObject({
      partnerId,
      bundleId: report.bundleId,
      receivedAt: report.receivedAt,
      itemCount: report.itemCount,
    });
  }
  expect(mine.map(({ item }) => item.itemIndex).sort((a, b) => a - b)).toEqual(
    Array.from({ length: report.itemCount }, (_, index) => index),
  );
  return new Map(mine.map(({ item }) => [item.itemId, item]));
}

kafkaTest(
  'given every wire format sent to a listening intake, then the splitter publishes their reports and items, the status says split, a re-sent bundle adds nothing and a revision is version 2',
  async ({ kafka }) => {
    // The splitter follows the erasure ledger (ADR 0020).
    await kafka.createTopics([...topics, pipelineTopics.erasures]);
    const root = await mkdtemp(path.join(tmpdir(), 'e2e-intake-'));
    let intake: IntakeProcess | undefined;
    const splitter = createSplitterService({
      connection: kafka.connection,
      codec,
      logger,
      groupId: splitterGroup,
    });
    try {
      intake = await startIntakeProcess({
        connection: kafka.connection,
        root: path.join(root, 'intake'),
        partners: [partnerId],
        env: { INTAKE_SPLITTER_GROUP_ID: splitterGroup, INTAKE_LAG_CHECK_INTERVAL_MS: '1000' },
      });
      await splitter.start();
      const packages = path.join(root, 'packages');
      const sendFolder = (folder: string, bundleRef: string) =>
        uploadPackage(
          { path: folder, apiKey: intake!.keys.get(partnerId)!, bundleRef },
          { intakeUrl: intake!.url, maxRetries: 3 },
        );

      const [shared, jpg, single, xmlFirst, myPic] = await Promise.all([
        png(9101),
        jpeg(9102),
        png(9103),
        png(9104),
        jpeg(9105),
      ]);
      const receipts = new Map<string, Record<string, unknown>>();

      // (1) A JSON ZIP package: two reports, one image in both (stored once), a wrong MD5, an
      // unchecked PDQ and a URL named twice.
      const zipManifest = {
        bundleRef: 'e2e-zip-1',
        reports: [
          {
            reportId: 'Z-100',
            incidentType: 'Online Enticement of Children for Sexual Acts',
            incidentDateTime: '2026-11-20T21:14:00Z',
            escalateToHighPriority: 'Invented escalation text',
            reportAnnotations: ['sextortion'],
            batched: { reason: 'VIRAL_POTENTIAL_MEME' },
            reporter: { companyName: 'Example Social', espService: 'Photos' },
            personsReported: [person],
            victims: [{ age: 13 }],
            internetDetails: [
              { type: 'webPage', urls: ['https://host.example/a', 'https://host.example/b'] },
              { type: 'webPage', urls: ['https://host.example/a'] },
            ],
            files: [
              {
                fileId: 'f-1',
                name: 'media/Z-100/f-1.png',
                fileName: 'IMG_0001.png',
                hashes: [
                  { type: 'MD5', value: md5(shared.bytes).toUpperCase() },
                  { type: 'SHA1', value: sha1(shared.bytes) },
                  { type: 'PDQ', value: 'ab'.repeat(32) },
                ],
              },
              {
                fileId: 'f-2',
                name: 'media/Z-100/f-2.jpg',
                fileName: 'IMG_0002.jpg',
                originalFileName: 'beach.jpg',
                locationOfFile: 'https://cdn.example/abc.jpg',
                uploadedToEspAt: '2026-11-20T21:05:00Z',
                fileViewedByEsp: false,
                fileRelevance: 'Reported',
                fileAnnotations: ['possibleSelfProduction'],
                industryClassification: 'A2',
                hashes: [{ type: 'MD5', value: '0'.repeat(32) }],
                uploadIpEvent: {
                  ipAddress: '198.51.100.9',
                  eventName: 'Upload',
                  dateTime: '2026-11-20T21:05:00Z',
                },
              },
            ],
          },
          {
            reportId: 'Z-101',
            incidentType: 'Child Sex Trafficking',
            files: [{ fileId: 'f-1', name: 'media/Z-101/f-1.png' }],
          },
        ],
      };
      const zip = await makeZip([
        { name: 'bundle.json', data: Buffer.from(JSON.stringify(zipManifest)) },
        { name: 'media/Z-100/f-1.png', data: shared.bytes },
        { name: 'media/Z-100/f-2.jpg', data: jpg.bytes },
        { name: 'media/Z-101/f-1.png', data: shared.bytes },
      ]);
      const zipped = await post(intake, zip, { 'content-type': 'application/zip' });
      expect(zipped.status, JSON.stringify(zipped.body)).toBe(202);
      expect(zipped.body).toMatchObject({
        bundleId: expectedBundleId(partnerId, 'e2e-zip-1'),
        files: 3,
        bytes: shared.bytes.length * 2 + jpg.bytes.length,
      });
      // The partner is not told whether the store already held a file (another partner may have sent it).
      expect(zipped.body).not.toHaveProperty('newFiles');
      receipts.set('e2e-zip-1', zipped.body);

      // (2) A JSON package folder sent as multipart: media under media/<report>/ keep their folders.
      const jsonFolder = await writeFolder(path.join(packages, 'json-folder'), {
        'bundle.json': JSON.stringify({
          bundleRef: 'e2e-mp-json-1',
          reports: [
            {
              reportId: 'M-200',
              incidentType: 'Child Sexual Molestation',
              internetDetails: [{ type: 'webPage', urls: ['https://pages.example.org/m-200'] }],
              files: [
                {
                  fileId: 'f-1',
                  name: 'media/M-200/f-1.png',
                  hashes: [
                    { type: 'SHA256', value: sha256(single.bytes) },
                    { type: 'MD5', value: md5(single.bytes) },
                  ],
                },
              ],
            },
          ],
        }),
        'media/M-200/f-1.png': single.bytes,
      });
      const jsonMultipart = await sendFolder(jsonFolder, 'e2e-mp-json-1');
      expect(jsonMultipart.status, JSON.stringify(jsonMultipart.body)).toBe(202);
      expect(jsonMultipart.body).toMatchObject({ files: 1 });
      receipts.set('e2e-mp-json-1', jsonMultipart.body);

      // (3) A CyberTipline XML package folder as multipart: one report, two fileDetails naming
      // media by path; the second file's bytes were stored by the ZIP already, its MD5 is wrong.
      const xmlFolder = await writeFolder(path.join(packages, 'xml-folder'), {
        'report.xml': reportXml(['https://pages.example.org/x']),
        'fileDetails-1.xml': fileDetailsXml({
          reportId: '7000001',
          fileId: 'x-1',
          fileName: 'media/7000001/x-1.png',
          originalFileName: 'holiday.png',
          md5: md5(xmlFirst.bytes),
          sha1: sha1(xmlFirst.bytes),
          annotation: 'viral',
          classification: 'B1',
        }),
        'fileDetails-2.xml': fileDetailsXml({
          reportId: '7000001',
          fileId: 'x-2',
          fileName: 'media/7000001/x-2.png',
          originalFileName: 'again.png',
          md5: 'f'.repeat(32),
          sha1: sha1(shared.bytes),
          annotation: 'potentialMeme',
          classification: 'B2',
        }),
        'media/7000001/x-1.png': xmlFirst.bytes,
        'media/7000001/x-2.png': shared.bytes,
      });
      const xmlMultipart = await sendFolder(xmlFolder, 'e2e-mp-xml-1');
      expect(xmlMultipart.status, JSON.stringify(xmlMultipart.body)).toBe(202);
      expect(xmlMultipart.body).toMatchObject({
        reports: [{ reportId: `${partnerId}:7000001`, partnerReportId: '7000001', version: 1, fileCount: 2 }],
        files: 2,
      });
      receipts.set('e2e-mp-xml-1', xmlMultipart.body);

      // (4) A plain JSON manifest: URLs only.
      const jsonManifest = (bundleRef: string, urls: string[], additionalInfo: string) =>
        JSON.stringify({
          bundleRef,
          reports: [
            {
              reportId: 'J-300',
              incidentType: 'Misleading Words or Digital Images on the Internet',
              additionalInfo,
              internetDetails: [{ type: 'webPage', urls }],
            },
          ],
        });
      const plain = await post(
        intake,
        jsonManifest('e2e-json-1', ['https://one.example/1', 'https://two.example/2'], 'first'),
        { 'content-type': 'application/json' },
      );
      expect(plain.status, JSON.stringify(plain.body)).toBe(202);
      expect(plain.body).toMatchObject({
        files: 0,
        reports: [{ reportId: `${partnerId}:J-300`, version: 1 }],
      });
      receipts.set('e2e-json-1', plain.body);

      // (5) NCMEC's §6.1 report as application/xml: no report id anywhere, so xml- + its digest.
      const ncmecReport = await readFile(new URL('ncmec-doc-6.1-report.xml', ncmec));
      const xmlOnly = await post(intake, ncmecReport, {
        'content-type': 'application/xml',
        'idempotency-key': 'e2e-xml-61',
      });
      expect(xmlOnly.status, JSON.stringify(xmlOnly.body)).toBe(202);
      const xmlReportId = `xml-${sha256(ncmecReport).slice(0, 16)}`;
      expect(xmlOnly.body).toMatchObject({
        reports: [{ partnerReportId: xmlReportId, version: 1, fileCount: 0 }],
      });
      receipts.set('e2e-xml-61', xmlOnly.body);

      // (6) §6.1 + §6.3 + a synthetic image named as 6.3's originalFileName, as multipart.
      const ncmecFolder = await writeFolder(path.join(packages, 'ncmec-folder'), {
        'report.xml': ncmecReport,
        'fileDetails-1.xml': await readFile(new URL('ncmec-doc-6.3-fileDetails.xml', ncmec)),
        'mypic.jpg': myPic.bytes,
      });
      const ncmecMultipart = await sendFolder(ncmecFolder, 'e2e-mp-61-63');
      expect(ncmecMultipart.status, JSON.stringify(ncmecMultipart.body)).toBe(202);
      expect(ncmecMultipart.body).toMatchObject({
        reports: [{ reportId: `${partnerId}:4564654`, version: 1, fileCount: 1 }],
        files: 1,
      });
      receipts.set('e2e-mp-61-63', ncmecMultipart.body);

      for (const [bundleRef, receipt] of receipts) {
        expect(receipt, bundleRef).toMatchObject({
          bundleId: expectedBundleId(partnerId, bundleRef),
          partnerBundleRef: bundleRef,
          status: 'received',
        });
      }

      // What the splitter wrote: 7 reports and 4+1+2+3+2+1+2 items.
      const expectedItems: Record<string, number> = {
        'Z-100': 4,
        'Z-101': 1,
        'M-200': 2,
        '7000001': 3,
        'J-300': 2,
        [xmlReportId]: 1,
        '4564654': 2,
      };
      const totalItems = Object.values(expectedItems).reduce((sum, count) => sum + count, 0);
      const split = await readSplit(kafka, 7, totalItems);
      expect(split.reports).toHaveLength(7);
      expect(split.items).toHaveLength(totalItems);
      const reports = new Map(
        split.reports.map(({ key, report }) => [report.partnerReportId, { key, report }]),
      );
      expect([...reports.keys()].sort()).toEqual(Object.keys(expectedItems).sort());
      const bundleOf: Record<string, string> = {
        'Z-100': 'e2e-zip-1',
        'Z-101': 'e2e-zip-1',
        'M-200': 'e2e-mp-json-1',
        '7000001': 'e2e-mp-xml-1',
        'J-300': 'e2e-json-1',
        [xmlReportId]: 'e2e-xml-61',
        '4564654': 'e2e-mp-61-63',
      };
      const items = new Map<string, Map<string, Item>>();
      for (const [partnerReportId, { key, report }] of reports) {
        const bundleRef = bundleOf[partnerReportId]!;
        expect(key).toBe(report.reportId);
        expect(report, partnerReportId).toMatchObject({
          reportId: `${partnerId}:${partnerReportId}`,
          partnerId,
          version: 1,
          bundleId: expectedBundleId(partnerId, bundleRef),
          receivedAt: Date.parse(String(receipts.get(bundleRef)!.receivedAt)),
          itemCount: expectedItems[partnerReportId],
        });
        items.set(partnerReportId, itemsOf(report, split.items));
      }

      // Report fields as normalised from each format.
      expect(reports.get('Z-100')!.report).toMatchObject({
        incidentType: 'ONLINE_ENTICEMENT',
        incidentDateTime: Date.parse('2026-11-20T21:14:00Z'),
        escalateToHighPriority: 'Invented escalation text',
        reportAnnotations: ['sextortion'],
        batched: true,
        batchedReason: 'VIRAL_POTENTIAL_MEME',
        reporter: { companyName: 'Example Social', espService: 'Photos' },
        victims: [{ age: 13 }],
        fileIds: ['f-1', 'f-2'],
      });
      expect(reports.get('Z-100')!.report.personsReported[0]).toMatchObject({
        screenName: 'invented-screen-name',
        emails: ['suspect-e2e@example.com'],
        ipCaptureEvents: [
          {
            ipAddress: '203.0.113.7',
            eventName: 'Login',
            dateTime: Date.parse('2026-11-20T21:00:00Z'),
            possibleProxy: false,
            port: 51234,
          },
        ],
        estimatedLocation: { countryCode: 'NL', city: 'Utrecht' },
      });
      expect(reports.get('Z-101')!.report).toMatchObject({
        incidentType: 'CHILD_SEX_TRAFFICKING',
        batched: false,
      });
      expect(reports.get('7000001')!.report).toMatchObject({
        incidentType: 'ONLINE_ENTICEMENT',
        escalateToHighPriority: 'Invented escalation text for an end-to-end test',
        reportAnnotations: ['sextortion'],
        fileIds: ['x-1', 'x-2'],
      });
      expect(reports.get(xmlReportId)!.report).toMatchObject({
        incidentType: 'CHILD_PORNOGRAPHY',
        incidentDateTime: Date.parse('2012-10-15T08:00:00-07:00'),
        fileIds: [],
      });
      expect([...reports.get(xmlReportId)!.report.reportAnnotations].sort()).toEqual(
        [
          'csamSolicitation',
          'minorToMinorInteraction',
          'sadisticOnlineExploitation',
          'sextortion',
          'spam',
        ].sort(),
      );
      expect(reports.get('4564654')!.report).toMatchObject({
        incidentType: 'CHILD_PORNOGRAPHY',
        fileIds: ['b0754af766b426f2928a02c651ed4b99'],
      });

      // Items: ids, URLs (each distinct URL once, files first), stored bytes, partner hash checks.
      const item = (partnerReportId: string, suffix: string) => {
        const found = items.get(partnerReportId)!.get(`${partnerId}:${partnerReportId}/${suffix}`);
        expect(found, `${partnerReportId}/${suffix}`).toBeDefined();
        return found!;
      };
      const checks = (found: Item) => found.partnerHashChecks.map((check) => [check.hashType, check.status]);
      expect(item('Z-100', 'f-1')).toMatchObject({
        kind: 'file',
        itemIndex: 0,
        fileId: 'f-1',
        sha256: sha256(shared.bytes),
        size: shared.bytes.length,
        mediaType: 'image/png',
        fileName: 'IMG_0001.png',
      });
      expect(checks(item('Z-100', 'f-1'))).toEqual([
        ['MD5', 'match'],
        ['SHA1', 'match'],
        ['PDQ', 'unchecked'],
      ]);
      expect(item('Z-100', 'f-2')).toMatchObject({
        itemIndex: 1,
        sha256: sha256(jpg.bytes),
        mediaType: 'image/jpeg',
        fileName: 'IMG_0002.jpg',
        originalFileName: 'beach.jpg',
        locationOfFile: 'https://cdn.example/abc.jpg',
        uploadedToEspAt: Date.parse('2026-11-20T21:05:00Z'),
        fileViewedByEsp: false,
        fileRelevance: 'REPORTED',
        fileAnnotations: ['possibleSelfProduction'],
        industryClassification: 'A2',
        uploadIpEvent: { ipAddress: '198.51.100.9', eventName: 'Upload' },
      });
      expect(item('Z-100', 'f-2').partnerHashChecks).toEqual([
        { hashType: 'MD5', partnerValue: '0'.repeat(32), computedValue: md5(jpg.bytes), status: 'mismatch' },
      ]);
      expect(item('Z-100', 'url:0')).toMatchObject({
        kind: 'url',
        itemIndex: 2,
        url: 'https://host.example/a',
        sha256: null,
      });
      expect(item('Z-100', 'url:1')).toMatchObject({
        kind: 'url',
        itemIndex: 3,
        url: 'https://host.example/b',
      });
      expect(item('Z-101', 'f-1')).toMatchObject({ sha256: sha256(shared.bytes), partnerHashChecks: [] });
      expect(item('M-200', 'f-1')).toMatchObject({ sha256: sha256(single.bytes), mediaType: 'image/png' });
      expect(checks(item('M-200', 'f-1'))).toEqual([
        ['SHA256', 'match'],
        ['MD5', 'match'],
      ]);
      expect(item('M-200', 'url:0')).toMatchObject({ url: 'https://pages.example.org/m-200' });
      expect(item('7000001', 'x-1')).toMatchObject({
        sha256: sha256(xmlFirst.bytes),
        fileName: 'media/7000001/x-1.png',
        originalFileName: 'holiday.png',
        fileViewedByEsp: true,
        fileAnnotations: ['viral'],
        industryClassification: 'B1',
        uploadIpEvent: { ipAddress: '198.51.100.23', eventName: 'Upload' },
      });
      expect(checks(item('7000001', 'x-1'))).toEqual([
        ['MD5', 'match'],
        ['SHA1', 'match'],
      ]);
      expect(item('7000001', 'x-2')).toMatchObject({
        sha256: sha256(shared.bytes),
        industryClassification: 'B2',
      });
      expect(checks(item('7000001', 'x-2'))).toEqual([
        ['MD5', 'mismatch'],
        ['SHA1', 'match'],
      ]);
      expect(item('7000001', 'url:0')).toMatchObject({ itemIndex: 2, url: 'https://pages.example.org/x' });
      expect(item('J-300', 'url:1')).toMatchObject({ url: 'https://two.example/2' });
      expect(item(xmlReportId, 'url:0')).toMatchObject({ url: 'http://badsite.com/baduri.html' });
      expect(item('4564654', 'b0754af766b426f2928a02c651ed4b99')).toMatchObject({
        kind: 'file',
        sha256: sha256(myPic.bytes),
        size: myPic.bytes.length,
        mediaType: 'image/jpeg',
        originalFileName: 'mypic.jpg',
        uploadIpEvent: {
          ipAddress: '63.116.246.17',
          eventName: 'Upload',
          dateTime: Date.parse('2011-10-31T12:00:00Z'),
        },
        additionalInfo: 'File was originally posted with 6 others',
        partnerHashChecks: [],
      });

      // The status route: every bundle reaches `split`, with its item counts and the hash warnings.
      for (const [bundleRef, receipt] of receipts) {
        const status = await statusWhenSplit(
          intake.url,
          intake.keys.get(partnerId)!,
          String(receipt.bundleId),
        );
        const partnerReportIds = Object.entries(bundleOf)
          .filter(([, ref]) => ref === bundleRef)
          .map(([id]) => id);
        expect(status, bundleRef).toMatchObject({
          stage: 'split',
          partnerBundleRef: bundleRef,
          items: partnerReportIds.reduce((sum, id) => sum + expectedItems[id]!, 0),
        });
        const statusReports = status.reports as { partnerReportId: string; itemCount: number }[];
        expect(
          Object.fromEntries(statusReports.map((report) => [report.partnerReportId, report.itemCount])),
          bundleRef,
        ).toEqual(Object.fromEntries(partnerReportIds.map((id) => [id, expectedItems[id]])));
      }
      const zipStatus = await bundleStatus(
        intake.url,
        intake.keys.get(partnerId)!,
        String(zipped.body.bundleId),
      );
      const [z100Status, z101Status] = zipStatus.body.reports as {
        errors: { code: string; message: string }[];
      }[];
      // The split status names the manifest element, once (the receipt's copy is not repeated).
      expect(z100Status!.errors).toEqual([
        expect.objectContaining({
          code: 'partner_hash_mismatch',
          pointer: '/reports/0/files/1/hashes/0',
          message: expect.stringContaining('f-2'),
        }),
      ]);
      expect(z101Status!.errors).toEqual([]);

      // The ZIP again: its original receipt, nothing published, nothing split.
      const before = await recordCounts(kafka.connection, topics);
      const again = await post(intake, zip, { 'content-type': 'application/zip' });
      expect(again.status).toBe(202);
      expect(again.replayed).toBe('true');
      expect(again.body).toEqual(zipped.body);
      expect(await recordCounts(kafka.connection, topics)).toEqual(before);

      // A revised report (same report id, new bundle): version 2 records replace nothing, they add.
      const revised = await post(
        intake,
        jsonManifest(
          'e2e-json-2',
          ['https://one.example/1', 'https://two.example/2', 'https://three.example/3'],
          'revised',
        ),
        { 'content-type': 'application/json' },
      );
      expect(revised.status, JSON.stringify(revised.body)).toBe(202);
      expect(revised.body).toMatchObject({ reports: [{ reportId: `${partnerId}:J-300`, version: 2 }] });
      const afterRevision = await readSplit(kafka, 8, totalItems + 3);
      const version2 = afterRevision.reports.find(({ report }) => report.version === 2)?.report;
      expect(version2).toMatchObject({
        reportId: `${partnerId}:J-300`,
        bundleId: expectedBundleId(partnerId, 'e2e-json-2'),
        additionalInfo: 'revised',
        itemCount: 3,
      });
      const version2Items = itemsOf(version2!, afterRevision.items);
      expect([...version2Items.keys()].sort()).toEqual(
        ['url:0', 'url:1', 'url:2'].map((suffix) => `${partnerId}:J-300/${suffix}`),
      );
      expect(
        groupBy(
          afterRevision.items.filter(({ item }) => item.reportId === `${partnerId}:J-300`),
          ({ item }) => String(item.reportVersion),
        ).get('1'),
      ).toHaveLength(2);
      const revisedStatus = await statusWhenSplit(
        intake.url,
        intake.keys.get(partnerId)!,
        String(revised.body.bundleId),
      );
      expect(revisedStatus).toMatchObject({
        stage: 'split',
        items: 3,
        reports: [{ version: 2, itemCount: 3 }],
      });
      // Exactly one bundle, its receipt and split status, one report and three items more than before the re-send.
      expect(await recordCounts(kafka.connection, topics)).toEqual({
        [pipelineTopics.bundles.name]: before[pipelineTopics.bundles.name]! + 1,
        [pipelineTopics.bundleStatus.name]: before[pipelineTopics.bundleStatus.name]! + 2,
        [pipelineTopics.reports.name]: before[pipelineTopics.reports.name]! + 1,
        [pipelineTopics.items.name]: before[pipelineTopics.items.name]! + 3,
      });
    } catch (error) {
      if (intake) logger.error({ intake: intake.output().slice(-4000) }, 'intake output');
      throw error;
    } finally {
      await splitter.stop();
      await intake?.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
);
