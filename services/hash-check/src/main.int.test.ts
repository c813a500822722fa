// The hash-check service as an operator runs it: main.ts in its own process with
// HASH_CHECK_TLS_CERT_FILE and _KEY_FILE (a self-signed certificate made by the test), its lists
// read from a prefixed hashsets topic; a batch answered over TLS with the browser security headers,
// an unauthenticated one refused, and SIGTERM ending it cleanly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importHashList } from '@triage/hash-lists';
import { createHosterKey, withHosterKey, writeHostersFile } from '@triage/hosters';
import { securityHeaders } from '@triage/http-security';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { freePort, selfSignedCertificate, startServiceProcess, tlsRequest } from '@triage/testkit';
import { expect } from 'vitest';

const mainScript = fileURLToPath(new URL('./main.ts', import.meta.url));
const listed = 'c'.repeat(32);

kafkaTest(
  'given a certificate and key, then main.ts checks batches over HTTPS only, with the security headers, and stops on SIGTERM',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.hashsets, pipelineTopics.audit]);
    const dir = await mkdtemp(path.join(tmpdir(), 'hash-check-main-'));
    try {
      const csv = path.join(dir, 'list.csv');
      await writeFile(csv, `hash,type,category\n${listed},md5,1\n`);
      await importHashList({
        file: csv,
        list: 'police-confirmed',
        version: 'v1',
        connection: kafka.connection,
      });
      const { key, sha256 } = createHosterKey();
      const hostersFile = path.join(dir, 'hosters.json');
      await writeHostersFile(
        hostersFile,
        withHosterKey({ hosters: [] }, 'host-a', { id: 'k1', sha256 }, { lists: ['police-confirmed'] }),
      );
      const certificate = await selfSignedCertificate(dir);
      const port = await freePort();
      const url = `https://127.0.0.1:${port}`;
      const service = await startServiceProcess({
        name: 'hash-check',
        script: mainScript,
        env: {
          KAFKA_BROKERS: kafka.connection.brokers.join(','),
          KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix ?? '',
          HASH_CHECK_PORT: String(port),
          HASH_CHECK_HOSTERS_FILE: hostersFile,
          HASH_CHECK_TLS_CERT_FILE: certificate.certFile,
          HASH_CHECK_TLS_KEY_FILE: certificate.keyFile,
          HASH_CHECK_INSTANCE_ID: 'hash-check-main-test',
          HASH_CHECK_OPS_PORT: '0',
        },
        readyUrl: `${url}/readyz`,
        ca: certificate.cert,
      });
      try {
        const body = JSON.stringify({
          hashes: [
            { type: 'md5', value: listed },
            { type: 'md5', value: 'd'.repeat(32) },
          ],
        });
        const headers = { 'content-type': 'application/json' };
        const ca = certificate.cert;
        const answered = await tlsRequest(`${url}/v1/hash-check`, {
          ca,
          method: 'POST',
          headers: { ...headers, authorization: `Bearer ${key}` },
          body,
        });
        expect(answered.status).toBe(200);
        expect(answered.protocol).toMatch(/^TLSv1\.[23]$/);
        expect(answered.headers).toMatchObject(securityHeaders({ tls: true }));
        expect(JSON.parse(answered.body.toString())).toEqual({
          answers: [{ match: true }, { match: false }],
        });
        const anonymous = await tlsRequest(`${url}/v1/hash-check`, { ca, method: 'POST', headers, body });
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="triage-hash-check"');
        const openapi = await tlsRequest(`${url}/openapi.json`, { ca });
        expect(JSON.parse(openapi.body.toString()).paths).toHaveProperty(['/v1/hash-check']);
      } finally {
        expect(await service.stop()).toBe(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
