// Intake on the real broker, driven through app.inject(): every wire format, idempotency and
// versions, auth and rate limits, status, and the refusals that keep nothing.

import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleIdFor } from '@triage/bundles';
import { createRecordProducer, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { readPartnersFile, withKey, withoutKey, writePartnersFile } from '@triage/partners';
import type { Bundle, BundleStatus } from '@triage/schemas';
import { makeZip, syntheticImage } from '@triage/testkit';
import { expect } from 'vitest';
import { PipelineGate } from './pipeline/pipeline-gate.ts';
import { ReceiptBook } from './pipeline/receipt-book.ts';
import {
  bearer,
  codec,
  type HarnessOptions,
  jsonBundle,
  minimalReport,
  multipartBody,
  ncmecDocument,
  startIntake,
  testLogger,
} from './testing/intake-harness.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

async function withIntake(kafka: KafkaFixture, options: HarnessOptions = {}) {
  await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
  return startIntake(kafka.connection, options);
}

async function readBundles(kafka: KafkaFixture, count: number): Promise<Bundle[]> {
  const records = await kafka.readTopic(pipelineTopics.bundles.name, count, 30_000);
  return records.map((record) => codec.decode('Bundle', record.value!));
}

kafkaTest(
  'given each wire format, when sent, then it is accepted, its media stored and its Bundle published',
  async ({ kafka }) => {
    const intake = await withIntake(kafka);
    try {
      const image = await syntheticImage(301, 64, 48);
      const other = await syntheticImage(302, 64, 48);

      // JSON: a manifest without media.
      const json = await intake.app.inject({
        method: 'POST',
        url: '/v1/bundles',
        headers: { ...bearer(intake.keys.hotline), 'content-type': 'application/json' },
        payload: jsonBundle('json-ref-1'),
      });
      expect(json.statusCode).toBe(202);
      expect(json.json()).toMatchObject({
        partnerBundleRef: 'json-ref-1',
        status: 'received',
        reports: [{ reportId: 'hotline-test:100234', partnerReportId: '100234', version: 1, fileCount: 0 }],
        files: 0,
      });
      expect(json.headers.location).toBe(json.json().statusUrl);

      // CyberTipline XML: NCMEC's §6.1 report; the Idempotency-Key is the bundle reference.
      const xml = await intake.app.inject({
        method: 'POST',
        url: '/v1/bundles',
        headers: {
          ...bearer(intake.keys.hotline),
          'content-type': 'application/xml',
          'idempotency-key': 'xml-ref-1',
        },
        payload: await ncmecDocument('ncmec-doc-6.1-report.xml'),
      });
      expect(xml.statusCode).toBe(202);
      expect(xml.json().reports[0].partnerReportId).toMatch(/^xml-[0-9a-f]{16}$/);

      // NCMEC's newer <informational/> annotation, unknown to the shared XSD copy, is kept, not refused.
      const newer = await intake.app.inject({
        method: 'POST',
        url: '/v1/bundles?reportId=5550001',
        headers: {
          ...bearer(intake.keys.hotline),
          'content-type': 'text/xml',
          'idempotency-key': 'xml-ref-2',
        },
        payload: (await ncmecDocument('ncmec-doc-6.1-report.xml'))
          .toString('utf8')
          .replace('<spam />', '<spam />\n            <informational />'),
      });
      expect(newer.statusCode).toBe(202);
      expect(newer.json().reports[0]).toMatchObject({ reportId: 'hotline-test:5550001', version: 1 });

      // ZIP: bundle.json plus one media entry with a right MD5 and a wrong SHA1.
      const zip = await makeZip([
        {
          name: 'bundle.json',
          data: jsonBundle('zip-ref-1', [
            minimalReport('200001', {
              files: [
                {
                  fileId: 'f-1',
                  name: 'media/f-1.png',
                  fileName: 'IMG_0001.png',
                  hashes: [
                    { type: 'MD5', value: md5(image) },
                    { type: 'SHA1', value: '0'.repeat(40) },
                  ],
                },
              ],
            }),
          ]),
        },
        { name: 'media/f-1.png', data: image, compress: false },
      ]);
      const zipped = await intake.app.inject({
        method: 'POST',
        url: '/v1/bundles',
        headers: { ...bearer(intake.keys.hotline), 'content-type': 'application/zip' },
        payload: zip,
      });
      expect(zipped.statusCode).toBe(202);
      expect(zipped.json()).toMatchObject({ files: 1, bytes: image.length });

      // multipart: NCMEC's §6.1 report, its §6.3 fileDetails, and the file under its originalFileName.
      const form = multipartBody([
        { name: 'file', filename: 'mypic.jpg', contentType: 'application/octet-stream', data: other },
        {
          name: 'manifest',
          filename: 'report.xml',
          contentType: 'application/xml',
          data: await ncmecDocument('ncmec-doc-6.1-report.xml'),
        },
        {
          name: 'fileDetails',
          filename: 'fileDetails-1.xml',
          contentType: 'application/xml',
          data: await ncmecDocument('ncmec-doc-6.3-fileDetails.xml'),
        },
      ]);
      const multipart = await intake.app.inject({
        method: 'POST',
        url: '/v1/bundles',
        headers: {
          ...bearer(intake.keys.hotline),
          'content-type': form.contentType,
          'idempotency-key': 'mp-ref-1',
        },
        payload: form.payload,
      });
      expect(multipart.statusCode).toBe(202);
      expect(multipart.json()).toMatchObject({
        reports: [{ reportId: 'hotline-test:4564654', version: 1, fileCount: 1 }],
        files: 1,
      });

      const bundles = await readBundles(kafka, 5);
      const byRef = new Map(bundles.map((bundle) => [bundle.partnerBundleRef, bundle]));
      expect([...byRef.keys()].sort()).toEqual([
        'json-ref-1',
        'mp-ref-1',
        'xml-ref-1',
        'xml-ref-2',
        'zip-ref-1',
      ]);
      expect(byRef.get('xml-ref-2')!.reports[0]!.report.reportAnnotations).toContain('informational');
      expect(byRef.get('json-ref-1')).toMatchObject({
        partnerId: 'hotline-test',
        format: 'json',
        bundleId: json.json().bundleId,
      });
      expect(byRef.get('json-ref-1')!.reports[0]!.report).toMatchObject({
        reportId: 'hotline-test:100234',
        version: 1,
        incidentType: 'ONLINE_ENTICEMENT',
        itemCount: 1,
      });
      const xmlReport = byRef.get('xml-ref-1')!.reports[0]!.report;
      expect(byRef.get('xml-ref-1')!.format).toBe('xml');
      expect(xmlReport.incidentType).toBe('CHILD_PORNOGRAPHY');
      expect(xmlReport.reportAnnotations).toContain('sextortion');
      // The source document is kept in the content store under its sha256.
      const source = byRef.get('xml-ref-1')!.sourceSha256!;
      expect(source).toBe(sha256(await ncmecDocument('ncmec-doc-6.1-report.xml')));
      expect(await intake.store.has(source)).toBe(true);

      const zipFile = byRef.get('zip-ref-1')!.reports[0]!.files[0]!;
      expect(byRef.get('zip-ref-1')!.format).toBe('zip');
      expect(zipFile).toMatchObject({
        fileId: 'f-1',
        sha256: sha256(image),
        size: image.length,
        mediaType: 'image/png',
      });
      expect(zipFile.partnerHashChecks.map((check) => [check.hashType, check.status])).toEqual([
        ['MD5', 'match'],
        ['SHA1', 'mismatch'],
      ]);
      expect(await intake.store.has(sha256(image))).toBe(true);

      const multipartBundle = byRef.get('mp-ref-1')!;
      expect(multipartBundle.format).toBe('multipart');
      expect(multipartBundle.reports[0]!.files[0]).toMatchObject({
        fileId: 'b0754af766b426f2928a02c651ed4b99',
        originalFileName: 'mypic.jpg',
        sha256: sha256(other),
        mediaType: 'image/png',
      });
      expect(await intake.store.has(sha256(other))).toBe(true);

      // Every receipt is on the status topic under its bundle id.
      const receipts = await kafka.readTopic(pipelineTopics.bundleStatus.name, 5, 30_000);
      expect(receipts.map((record) => record.key).sort()).toEqual(
        bundles.map((bundle) => bundle.bundleId).sort(),
      );
      // Nothing is left in staging or the spool.
      expect((await intake.storedFiles()).filter((file) => !file.includes('/sha256/'))).toEqual([]);
    } finally {
      await intake.close();
    }
  },
);

kafkaTest(
  'given a bundle sent again, a reused reference and a revised report, then receipt, 409 and version 2',
  async ({ kafka }) => {
    const intake = await withIntake(kafka);
    try {
      const post = (payload: Buffer, headers: Record<string, string> = {}) =>
        intake.app.inject({
          method: 'POST',
          url: '/v1/bundles',
          headers: { ...bearer(intake.keys.hotline), 'content-type': 'application/json', ...headers },
          payload,
        });
      const first = await post(jsonBundle('ref-1'));
      expect(first.statusCode).toBe(202);
      const published = await intake.publishedCount();

      const again = await post(jsonBundle('ref-1'));
      expect(again.statusCode).toBe(202);
      expect(again.json()).toEqual(first.json());
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await intake.publishedCount()).toEqual(published);

      const reused = await post(
        jsonBundle('ref-1', [minimalReport('100234', { additionalInfo: 'other content' })]),
      );
      expect(reused.statusCode).toBe(409);
      expect(reused.headers['content-type']).toContain('application/problem+json');
      expect(reused.json()).toMatchObject({ code: 'TRIAGE_BUNDLE_REF_REUSED', pointer: '/bundleRef' });
      expect(await intake.publishedCount()).toEqual(published);

      const revised = await post(
        jsonBundle('ref-2', [minimalReport('100234', { additionalInfo: 'revised' })]),
      );
      expect(revised.statusCode).toBe(202);
      expect(revised.json().reports[0]).toMatchObject({ reportId: 'hotline-test:100234', version: 2 });

      // Six revisions at once: numbered in the partner's publish batches (several bundles in one
      // batch among them), so they get distinct versions.
      const revisions = await Promise.all(
        [3, 4, 5, 6, 7, 8].map((n) =>
          post(jsonBundle(`ref-rev-${n}`, [minimalReport('100234', { additionalInfo: `revision ${n}` })])),
        ),
      );
      expect(revisions.map((answer) => answer.json().reports[0].version).sort()).toEqual([3, 4, 5, 6, 7, 8]);

      // The same new bundle twice at once: one is accepted, the other answered with its receipt.
      const beforeTwins = await intake.publishedCount();
      const twins = await Promise.all([
        post(jsonBundle('ref-7', [minimalReport('100777')])),
        post(jsonBundle('ref-7', [minimalReport('100777')])),
      ]);
      expect(twins.map((twin) => twin.statusCode)).toEqual([202, 202]);
      expect(twins[0]!.json()).toEqual(twins[1]!.json());
      expect(twins.map((twin) => twin.headers['idempotent-replayed'] ?? 'no').sort()).toEqual(['no', 'true']);
      expect(await intake.publishedCount()).toEqual({
        bundles: beforeTwins.bundles + 1n,
        status: beforeTwins.status + 1n,
      });
      // One reference with two contents at once: the first accepted, the second refused.
      const clash = await Promise.all([
        post(jsonBundle('ref-8', [minimalReport('100888')])),
        post(jsonBundle('ref-8', [minimalReport('100888', { additionalInfo: 'other' })])),
      ]);
      expect(clash.map((answer) => answer.statusCode).sort()).toEqual([202, 409]);

      // Another partner's report with the same partner id is another report.
      const other = await intake.app.inject({
        method: 'POST',
        url: '/v1/bundles',
        headers: { ...bearer(intake.keys.platform), 'content-type': 'application/json' },
        payload: jsonBundle('ref-1'),
      });
      expect(other.json().reports[0]).toMatchObject({ reportId: 'platform-test:100234', version: 1 });
      expect(other.json().bundleId).not.toBe(first.json().bundleId);

      // A JSON bundleRef and an Idempotency-Key that disagree.
      const disagree = await post(jsonBundle('ref-5'), { 'idempotency-key': 'ref-6' });
      expect(disagree.statusCode).toBe(422);
      expect(disagree.json()).toMatchObject({ code: 'TRIAGE_BUNDLE_INCONSISTENT', pointer: '/bundleRef' });

      // A new instance reading the status topic knows the receipts and the versions.
      const restarted = await startIntake(kafka.connection);
      try {
        expect(restarted.receipts.receipt(first.json().bundleId)?.partnerBundleRef).toBe('ref-1');
        expect(restarted.receipts.latestVersion('hotline-test:100234')).toBe(8);
      } finally {
        await restarted.close();
      }
    } finally {
      await intake.close();
    }
  },
);

kafkaTest(
  'given missing, wrong, expired and rotated keys and a rate limit, then 401s, 429 and the key in force',
  async ({ kafka }) => {
    const intake = await withIntake(kafka, { platformRateLimit: { max: 2, timeWindow: 60_000 } });
    try {
      const status = (headers: Record<string, string>) =>
        intake.app.inject({ method: 'GET', url: '/v1/bundles/bndl-000000000000000000000000', headers });

      const missing = await status({});
      expect(missing.statusCode).toBe(401);
      expect(missing.headers['www-authenticate']).toContain('Bearer');
      expect(missing.json()).toMatchObject({
        code: 'TRIAGE_AUTH_REQUIRED',
        pointer: '/headers/authorization',
      });
      expect((await status(bearer('tpk_wrongwrongwrongwrongwrong'))).json().code).toBe(
        'TRIAGE_AUTH_REQUIRED',
      );
      const expired = await status(bearer(intake.keys.hotlineExpired));
      expect(expired.statusCode).toBe(401);
      expect(expired.json().detail).toContain('expired');
      // Both active keys of a partner work (rotation); an authenticated unknown bundle is a 404.
      expect((await status(bearer(intake.keys.hotline))).json().code).toBe('TRIAGE_BUNDLE_NOT_FOUND');
      expect((await status(bearer(intake.keys.hotlineSecond))).json().code).toBe('TRIAGE_BUNDLE_NOT_FOUND');

      // Revoking k1 in the file: the directory re-reads it, k1 is refused, k2 still works.
      await writePartnersFile(
        intake.partnersFile,
        withoutKey(await readPartnersFile(intake.partnersFile), 'hotline-test', 'k1'),
      );
      await intake.partners.refresh();
      expect((await status(bearer(intake.keys.hotline))).statusCode).toBe(401);
      expect((await status(bearer(intake.keys.hotlineSecond))).statusCode).toBe(404);
      // A broken file is ignored: the last good one stays in force.
      await writePartnersFile(
        intake.partnersFile,
        withKey(await readPartnersFile(intake.partnersFile), 'hotline-test', {
          id: 'k9',
          sha256: 'a'.repeat(64),
        }),
      );
      await intake.partners.refresh();
      expect((await status(bearer(intake.keys.hotlineSecond))).statusCode).toBe(404);
      // A deleted (or unmounted) file is an error too, not a revocation of every key.
      const kept = await readFile(intake.partnersFile);
      await rm(intake.partnersFile);
      await intake.partners.refresh();
      expect((await status(bearer(intake.keys.hotlineSecond))).statusCode).toBe(404);
      await writeFile(intake.partnersFile, kept);

      // The platform may send two requests a minute: the third is refused with Retry-After.
      expect((await status(bearer(intake.keys.platform))).statusCode).toBe(404);
      expect((await status(bearer(intake.keys.platform))).statusCode).toBe(404);
      const limited = await status(bearer(intake.keys.platform));
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ code: 'TRIAGE_RATE_LIMITED' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Limits are per partner: the hotline is not affected.
      expect((await status(bearer(intake.keys.hotlineSecond))).statusCode).toBe(404);

      // Keys are scoped to intake routes; the health routes need none.
      expect((await intake.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await intake.close();
    }
  },
);

kafkaTest(
  'given an accepted bundle, when the splitter status arrives, then GET shows received, then split',
  async ({ kafka }) => {
    const intake = await withIntake(kafka);
    try {
      const image = await syntheticImage(303, 64, 48);
      const zip = await makeZip([
        {
          name: 'bundle.json',
          data: jsonBundle('status-ref', [
            minimalReport('300001', {
              files: [{ fileId: 'f-1', name: 'a.png', hashes: [{ type: 'SHA1', value: '1'.repeat(40) }] }],
            }),
          ]),
        },
        { name: 'a.png', data: image },
      ]);
      const accepted = await intake.app.inject({
        method: 'POST',
        url: '/v1/bundles',
        headers: { ...bearer(intake.keys.hotline), 'content-type': 'application/zip' },
        payload: zip,
      });
      expect(accepted.statusCode).toBe(202);
      const { bundleId, statusUrl } = accepted.json();

      const before = await intake.app.inject({
        method: 'GET',
        url: statusUrl,
        headers: bearer(intake.keys.hotline),
      });
      expect(before.statusCode).toBe(200);
      expect(before.json()).toMatchObject({
        bundleId,
        stage: 'received',
        files: 1,
        items: null,
        reports: [
          {
            reportId: 'hotline-test:300001',
            version: 1,
            itemCount: null,
            errors: [{ code: 'partner_hash_mismatch' }],
          },
        ],
      });
      // Another partner does not see it.
      const foreign = await intake.app.inject({
        method: 'GET',
        url: statusUrl,
        headers: bearer(intake.keys.platform),
      });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().code).toBe('TRIAGE_BUNDLE_NOT_FOUND');

      // What the splitter writes once it has published the reports and items: it re-derives the
      // receipt's hash warning, so the merged status must list it once, not twice.
      const receipt = intake.receipts.receipt(bundleId)!;
      const split: BundleStatus = {
        ...receipt,
        stage: 'split',
        updatedAt: receipt.updatedAt + 1_000,
        reports: receipt.reports.map((report) => ({
          ...report,
          itemCount: 2,
          errors: [
            ...report.errors,
            {
              code: 'TRIAGE_RECORD_INVALID',
              pointer: '/reports/0/files/0',
              message: 'invented split problem',
            },
          ],
        })),
      };
      const producer = createRecordProducer(kafka.connection, 'test-splitter');
      await producer.send([
        { topic: intake.topics.status, key: `${bundleId}#split`, value: codec.encode('BundleStatus', split) },
      ]);
      await producer.close();
      for (let waited = 0; !intake.receipts.splitStatus(bundleId) && waited < 30_000; waited += 100)
        await sleep(100);

      const after = await intake.app.inject({
        method: 'GET',
        url: statusUrl,
        headers: bearer(intake.keys.hotline),
      });
      expect(after.json().reports[0].errors).toHaveLength(2);
      expect(after.json()).toMatchObject({
        stage: 'split',
        items: 2,
        reports: [
          {
            version: 1,
            itemCount: 2,
            errors: [
              { code: 'partner_hash_mismatch', pointer: '/reports/0/files/0/hashes/0' },
              { code: 'TRIAGE_RECORD_INVALID', pointer: '/reports/0/files/0' },
            ],
          },
        ],
      });
    } finally {
      await intake.close();
    }
  },
);

kafkaTest(
  'given Kafka unavailable or the splitter behind, then 503 with Retry-After and nothing kept',
  async ({ kafka }) => {
    const intake = await withIntake(kafka, { maxPendingBundles: 1 });
    try {
      const image = await syntheticImage(304, 64, 48);
      const zipOf = async (ref: string) =>
        makeZip([
          {
            name: 'bundle.json',
            data: jsonBundle(ref, [minimalReport('400001', { files: [{ fileId: 'f', name: 'a.png' }] })]),
          },
          { name: 'a.png', data: image },
        ]);
      const send = (app: typeof intake.app, payload: Buffer, contentType = 'application/zip') =>
        app.inject({
          method: 'POST',
          url: '/v1/bundles',
          headers: { ...bearer(intake.keys.hotline), 'content-type': contentType },
          payload,
        });
      const before = await intake.publishedCount();

      // Kafka at a closed port: refused before the body is read.
      const closed: KafkaConnection = { brokers: ['127.0.0.1:1'], clientId: 'intake-test-closed' };
      const deadGate = new PipelineGate({
        connection: closed,
        bundlesTopic: intake.topics.bundles,
        splitterGroupId: 'splitter-test',
        maxPendingBundles: 1_000,
        checkIntervalMs: 600_000,
        logger: testLogger,
      });
      await deadGate.start();
      const deadProducer = createRecordProducer(closed, 'intake-test-closed', { deliveryTimeoutMs: 1_000 });
      const unreachable = await send(
        await intake.variant({ gate: deadGate, producer: deadProducer }),
        await zipOf('down-1'),
      );
      expect(unreachable.statusCode).toBe(503);
      expect(unreachable.json().code).toBe('TRIAGE_PIPELINE_BEHIND');
      expect(Number(unreachable.headers['retry-after'])).toBeGreaterThan(0);
      expect(await intake.storedFiles()).toEqual([]);
      expect(await intake.publishedCount()).toEqual(before);
      const ready = await (await intake.variant({ gate: deadGate })).inject({
        method: 'GET',
        url: '/readyz',
      });
      expect(ready.statusCode).toBe(503);
      await deadGate.close();

      // The status table not read yet (Kafka down at start): bundles wait, nothing is read.
      const unread = new ReceiptBook({
        connection: closed,
        topic: intake.topics.status,
        codec,
        logger: testLogger,
        dir: path.join(intake.root, 'unread-receipts'),
      });
      const early = await send(await intake.variant({ receipts: unread }), await zipOf('early-1'));
      expect(early.statusCode).toBe(503);
      expect(early.json()).toMatchObject({ code: 'TRIAGE_PIPELINE_BEHIND' });
      expect(Number(early.headers['retry-after'])).toBeGreaterThan(0);
      expect(await intake.storedFiles()).toEqual([]);

      // The producer fails at publish time: 503, no bundle and no receipt; the retry is accepted.
      await deadProducer.close();
      const failed = await send(await intake.variant({ producer: deadProducer }), await zipOf('down-2'));
      expect(failed.statusCode).toBe(503);
      expect(failed.json().code).toBe('TRIAGE_PIPELINE_BEHIND');
      expect(Number(failed.headers['retry-after'])).toBeGreaterThan(0);
      expect(await intake.publishedCount()).toEqual(before);
      expect(intake.receipts.receipt(bundleIdFor('hotline-test', 'down-2'))).toBeUndefined();
      expect((await send(intake.app, await zipOf('down-2'))).statusCode).toBe(202);

      // The splitter (group splitter-test) has read nothing: two pending bundles are over the limit of 1.
      expect((await send(intake.app, await zipOf('lag-1'))).statusCode).toBe(202);
      await intake.gate.check();
      expect(intake.gate.state.pendingBundles).toBe(2);
      const files = (await intake.storedFiles()).length;
      const published = await intake.publishedCount();
      // A malformed body proves the refusal came before reading it.
      const behind = await send(intake.app, Buffer.from('{"bundleRef": '), 'application/json');
      expect(behind.statusCode).toBe(503);
      expect(behind.json()).toMatchObject({ code: 'TRIAGE_PIPELINE_BEHIND' });
      expect(behind.json().detail).toContain('2 bundles are waiting');
      expect(Number(behind.headers['retry-after'])).toBeGreaterThan(0);
      expect((await intake.storedFiles()).length).toBe(files);
      expect(await intake.publishedCount()).toEqual(published);
    } finally {
      await intake.close();
    }
  },
);

kafkaTest(
  'given the service routes, then health, readiness, OpenAPI and unknown routes answer',
  async ({ kafka }) => {
    const intake = await withIntake(kafka);
    try {
      // Which dependency is down is told on the ops port only (main.int.test.ts).
      expect((await intake.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
        status: 'ready',
      });
      const openapi = await intake.app.inject({ method: 'GET', url: '/openapi.json' });
      expect(Object.keys(openapi.json().paths).sort()).toEqual([
        '/healthz',
        '/readyz',
        '/v1/bundles',
        '/v1/bundles/{bundleId}',
      ]);
      expect(Object.keys(openapi.json().paths['/v1/bundles'].post.requestBody.content)).toContain(
        'multipart/form-data',
      );
      const unknown = await intake.app.inject({ method: 'GET', url: '/v2/nothing' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers['content-type']).toContain('application/problem+json');
      expect(unknown.json()).toMatchObject({ code: 'TRIAGE_ROUTE_NOT_FOUND', status: 404 });
      const badId = await intake.app.inject({
        method: 'GET',
        url: '/v1/bundles/not-an-id',
        headers: bearer(intake.keys.hotline),
      });
      expect(badId.statusCode).toBe(400);
      expect(badId.json()).toMatchObject({ code: 'TRIAGE_REQUEST_INVALID', pointer: '/params/bundleId' });
    } finally {
      await intake.close();
    }
  },
);
