// Intake as an operator runs it (main.ts in its own process on a real port), for tests and the
// benchmark that need real HTTP and the process's own memory figures.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KafkaConnection } from '@triage/messaging';
import { loggedOpsUrl } from '@triage/metrics/testing';
import { createPartnerKey, type PartnerQuota, type PartnerScope, writePartnersFile } from '@triage/partners';
import {
  type ServiceProcess,
  startOnFreePort,
  startServiceProcess,
  type TestCertificate,
} from '@triage/testkit';

const mainScript = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface IntakeProcessOptions {
  /** Brokers and topic prefix; the caller has created the bundles and status topics. */
  connection: KafkaConnection;
  /** Folder for the partners file, content store, spool, receipt and takedown stores (`<root>/takedowns`; the caller removes it; reused, the stores are kept). */
  root: string;
  /** Partner ids to create, each with one key and this rate limit. */
  partners?: readonly string[];
  rateLimit?: { max: number; timeWindow: number };
  /** Serve HTTPS with this certificate (`selfSignedCertificate`); absent: plain HTTP. */
  tls?: TestCertificate;
  /** Every partner's daily quota; none when absent. */
  quota?: PartnerQuota;
  /** The scopes of a partner's key, by partner id; a partner not named has the default (bundles). */
  scopes?: Readonly<Record<string, PartnerScope[]>>;
  /** More environment (INTAKE_MAX_* limits, LOG_LEVEL...). */
  env?: Record<string, string>;
  /** How long to wait for /readyz. */
  readyTimeoutMs?: number;
}

export interface IntakeProcess extends ServiceProcess {
  /** `http://127.0.0.1:<port>`, or `https://` with `tls` */
  readonly url: string;
  /** The ops server's URL (/healthz, /readyz, /metrics); known only when LOG_LEVEL is info or lower. */
  readonly opsUrl: string | undefined;
  /** API key by partner id. */
  readonly keys: ReadonlyMap<string, string>;
  readonly contentRoot: string;
  readonly spoolDir: string;
}

/** Starts `node services/intake/src/main.ts` with its own partners file and folders; resolves once /readyz answers 200. */
export async function startIntakeProcess(options: IntakeProcessOptions): Promise<IntakeProcess> {
  const partnerIds = options.partners ?? ['bench-partner'];
  const keys = new Map<string, string>();
  const partnersFile = path.join(options.root, 'partners.json');
  await writePartnersFile(partnersFile, {
    partners: partnerIds.map((partnerId) => {
      const made = createPartnerKey();
      keys.set(partnerId, made.key);
      return {
        partnerId,
        keys: [
          {
            id: 'k1',
            sha256: made.sha256,
            ...(options.scopes?.[partnerId] ? { scopes: options.scopes[partnerId] } : {}),
          },
        ],
        rateLimit: options.rateLimit ?? { max: 1_000_000, timeWindow: 60_000 },
        ...(options.quota ? { quota: options.quota } : {}),
      };
    }),
  });
  const contentRoot = path.join(options.root, 'content');
  const spoolDir = path.join(options.root, 'spool');
  const { tls } = options;
  return startOnFreePort(async (port) => {
    const url = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
    const service = await startServiceProcess({
      name: 'intake',
      script: mainScript,
      readyUrl: `${url}/readyz`,
      ...(tls === undefined ? {} : { ca: tls.cert }),
      ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
      env: {
        KAFKA_BROKERS: options.connection.brokers.join(','),
        KAFKA_CLIENT_ID: options.connection.clientId,
        KAFKA_TOPIC_PREFIX: options.connection.topicPrefix ?? '',
        INTAKE_PORT: String(port),
        // Any free ops port: tests run several intakes at once (read it with `loggedOpsUrl` at LOG_LEVEL info).
        INTAKE_OPS_PORT: '0',
        // Live instances need their own transactional ids (the host name would be shared); a test
        // restarting "the same" instance names it in `env`.
        INTAKE_INSTANCE_ID: `test-${port}`,
        INTAKE_PARTNERS_FILE: partnersFile,
        INTAKE_SPOOL_DIR: spoolDir,
        INTAKE_RECLAIM_DIR: path.join(options.root, 'reclaim'),
        INTAKE_RECEIPTS_DIR: path.join(options.root, 'receipts'),
        INTAKE_TAKEDOWNS_DIR: path.join(options.root, 'takedowns'),
        CONTENT_STORE_ROOT: contentRoot,
        // No splitter runs here: its lag must not refuse bundles.
        INTAKE_SPLITTER_GROUP_ID: `${options.connection.topicPrefix ?? ''}no-splitter-${port}`,
        INTAKE_MAX_PENDING_BUNDLES: '1000000000',
        LOG_LEVEL: 'warn',
        ...(tls === undefined
          ? {}
          : { INTAKE_TLS_CERT_FILE: tls.certFile, INTAKE_TLS_KEY_FILE: tls.keyFile }),
        ...options.env,
      },
    });
    return { ...service, url, opsUrl: loggedOpsUrl(service.output()), keys, contentRoot, spoolDir };
  });
}
