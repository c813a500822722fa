// Issue 3's memory bound: a 1 GiB bundle goes through intake (its own process, real HTTP) with a
// peak resident set under 300 MB. The media are generated while they are sent and hashed by the
// client, so neither side holds a file, and the stored bytes are checked against those hashes.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContentStore } from '@triage/content-store';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { expect } from 'vitest';
import { generatedMultipartUpload } from './testing/generated-upload.ts';
import { minimalReport } from './testing/intake-harness.ts';
import { type IntakeProcess, startIntakeProcess } from './testing/intake-process.ts';

const MiB = 1024 * 1024;
const files = Array.from({ length: 8 }, (_, index) => ({
  fileId: `f-${index + 1}`,
  name: `media/generated-${index + 1}.bin`,
  size: 128 * MiB,
  seed: 3_000 + index,
}));

kafkaTest(
  'given intake in its own process, when a 1 GiB multipart bundle is streamed to it, then it accepts it, stores every byte and its peak RSS stays under 300 MB',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
    const root = await mkdtemp(path.join(tmpdir(), 'intake-large-'));
    let intake: IntakeProcess | undefined;
    try {
      intake = await startIntakeProcess({ connection: kafka.connection, root, partners: ['hotline-large'] });
      const upload = generatedMultipartUpload({
        manifest: {
          bundleRef: 'large-bundle-1',
          reports: [
            minimalReport('800001', {
              files: files.map(({ fileId, name }) => ({ fileId, name })),
            }),
          ],
        },
        files,
        hash: true,
      });
      expect(upload.mediaBytes).toBe(1024 * MiB);

      const response = await fetch(`${intake.url}/v1/bundles`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${intake.keys.get('hotline-large')}`,
          'content-type': upload.contentType,
        },
        body: upload.body,
        duplex: 'half',
      } as RequestInit);
      const receipt = (await response.json()) as { files?: number; bytes?: number };
      expect(response.status, JSON.stringify(receipt)).toBe(202);
      expect(receipt).toMatchObject({ files: files.length, bytes: upload.mediaBytes });
      const peak = await intake.peakRssBytes();

      const sent = await upload.sha256;
      expect(sent.size).toBe(files.length);
      const store = new ContentStore({ root: intake.contentRoot });
      for (const file of files) {
        const sha256 = sent.get(file.name)!;
        const stored = createHash('sha256');
        let size = 0;
        for await (const chunk of await store.open(sha256)) {
          stored.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
        expect({ name: file.name, sha256: stored.digest('hex'), size }).toEqual({
          name: file.name,
          sha256,
          size: file.size,
        });
      }

      expect(peak).toBeLessThan(300_000_000);
    } finally {
      await intake?.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
);
