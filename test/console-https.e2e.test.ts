// Issue 11 (transport): the web console as a browser meets it when the triage API serves HTTPS
// (main.ts in its own process, a self-signed certificate made by the test, the real console build).
// Debian's chromium signs in, sees the queue, opens a case and shows its blurred preview (a blob:
// image): no Content-Security-Policy violation, no console error, no third-party request, a secure
// context, and the document answered with HSTS and the console's policy.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore } from '@triage/content-store';
import { securityHeaders } from '@triage/http-security';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { recordExamples } from '@triage/schemas';
import { createSearchClient, indexPrefix } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { selfSignedCertificate, syntheticImage } from '@triage/testkit';
import { type Browser, launchChromium, openGuardedPage } from '@triage/testkit/browser';
import {
  itemCarrying,
  seedCases,
  startTriageApiProcess,
  type TriageApiProcess,
} from '@triage/triage-api/testing';
import { expect } from 'vitest';
import { byTestId, caseItem, logIn, visible } from './support/console-pages.ts';

/** Where the run leaves its picture of the case page over HTTPS (not committed). */
const screenshotFile = path.join(tmpdir(), 'triage-console-https-case.png');

interface Violation {
  directive: string;
  blocked: string;
}

kafkaTest(
  'given the triage API on HTTPS, then the console signs in, lists the queue and shows a blurred preview without a CSP violation, console error or third-party request',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.audit, pipelineTopics.triageActions]);
    const prefix = indexPrefix(kafka.connection.topicPrefix ?? '');
    const client = createSearchClient({ url: elasticsearchUrl });
    const dir = await mkdtemp(path.join(tmpdir(), 'console-https-'));
    let api: TriageApiProcess | undefined;
    let browser: Browser | undefined;
    try {
      const contentRoot = path.join(dir, 'content');
      const image = await syntheticImage(17);
      const { sha256 } = await new ContentStore({ root: contentRoot }).put(Readable.from([image]));
      const reportId = 'tipline-tls:100017';
      await seedCases(client, prefix, [
        {
          reportId,
          case: { ...recordExamples.Case, reportId },
          // Viewed by the reporting company and on no list: the case page shows its blurred preview.
          items: [{ ...itemCarrying(reportId, sha256, true, 0), matches: [] }],
        },
      ]);
      const certificate = await selfSignedCertificate(dir);
      api = await startTriageApiProcess({
        connection: kafka.connection,
        elasticsearchUrl,
        authDir: path.join(dir, 'auth'),
        tls: certificate,
        env: { CONTENT_STORE_ROOT: contentRoot },
      });

      browser = await launchChromium();
      const guarded = await openGuardedPage({ browser, origin: api.url, ignoreHTTPSErrors: true });
      const { page } = guarded;
      // Every violation the page meets, reported by the browser itself (also logged as a console error).
      await page.addInitScript({
        content: `globalThis.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) =>
  globalThis.cspViolations.push({ directive: event.effectiveDirective, blocked: event.blockedURI }));`,
      });
      // A header the browser cannot parse (an unknown Permissions-Policy feature) is only a warning.
      const policyWarnings: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'warning' && /Policy/.test(message.text()))
          policyWarnings.push(message.text());
      });
      const violations = () =>
        page.evaluate(() => (globalThis as unknown as { cspViolations: Violation[] }).cspViolations);
      const inPage = <T>(name: string) =>
        page.evaluate((key) => (globalThis as unknown as Record<string, T>)[key], name);

      const shell = await page.goto(`${api.url}/login`);
      expect(shell?.status()).toBe(200);
      const { 'content-security-policy': _apiPolicy, ...browserHeaders } = securityHeaders({ tls: true });
      expect(await shell!.allHeaders()).toMatchObject(browserHeaders);
      expect(shell!.headers()['content-security-policy']).toMatch(
        /^default-src 'self'; img-src 'self' blob:/,
      );
      expect(await inPage<boolean>('isSecureContext')).toBe(true);

      await logIn(page, api.url, { role: 'analyst', sub: 'analyst-tls' });
      await visible(byTestId(page, 'queue-row'));
      await page.goto(`${api.url}/cases/${encodeURIComponent(reportId)}`);
      const preview = byTestId(caseItem(page, sha256), 'item-preview');
      await visible(preview);
      await expect
        .poll(
          () => preview.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth),
          { timeout: 30_000 },
        )
        .toBeGreaterThan(0);
      expect(await preview.getAttribute('src')).toMatch(/^blob:https:\/\/127\.0\.0\.1:\d+\//);
      await page.screenshot({ path: screenshotFile });

      expect(await violations()).toEqual([]);
      expect(policyWarnings).toEqual([]);
      guarded.assertClean();
      await guarded.close();
    } finally {
      await browser?.close();
      await api?.stop();
      await deletePrefixedIndices(client, prefix);
      await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
