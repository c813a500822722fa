// The triage API as an operator runs it (main.ts in its own process on a real port, the audit
// trail on the real Kafka), with tokens of a local issuer made for the test.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLocalIssuerKeys, signLocalToken, type UserRole } from '@triage/auth';
import type { KafkaConnection } from '@triage/messaging';
import { loggedOpsUrl } from '@triage/metrics/testing';
import { freePort, type ServiceProcess, startServiceProcess, type TestCertificate } from '@triage/testkit';

const mainScript = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface TriageApiProcessOptions {
  /** Brokers and topic prefix (the audit and actions topics, the index prefix). */
  connection: KafkaConnection;
  elasticsearchUrl: string;
  /** Folder of the local token issuer's keys (made if missing; the caller removes it). */
  authDir: string;
  /** Serve HTTPS with this certificate (`selfSignedCertificate`); absent: plain HTTP. */
  tls?: TestCertificate;
  /** More environment (CONTENT_STORE_ROOT, LOG_LEVEL...). */
  env?: Record<string, string>;
}

export interface TriageApiProcess extends ServiceProcess {
  /** `http://127.0.0.1:<port>`, or `https://` with `tls` */
  readonly url: string;
  /** The ops server's URL (/healthz, /readyz, /metrics); known only when LOG_LEVEL is info or lower. */
  readonly opsUrl: string | undefined;
  /** `Bearer <token>` of the local issuer for `sub` in `role`, valid 10 minutes. */
  bearer(role: UserRole, sub?: string): Promise<string>;
}

/** Starts `node services/triage-api/src/main.ts`; resolves once /readyz answers 200 (keys, Elasticsearch, Kafka). */
export async function startTriageApiProcess(options: TriageApiProcessOptions): Promise<TriageApiProcess> {
  await ensureLocalIssuerKeys(options.authDir);
  const port = await freePort();
  const { tls } = options;
  const url = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
  const { connection } = options;
  const service = await startServiceProcess({
    name: 'triage-api',
    script: mainScript,
    readyUrl: `${url}/readyz`,
    ...(tls === undefined ? {} : { ca: tls.cert }),
    env: {
      KAFKA_BROKERS: connection.brokers.join(','),
      KAFKA_CLIENT_ID: connection.clientId,
      KAFKA_TOPIC_PREFIX: connection.topicPrefix ?? '',
      ELASTICSEARCH_URL: options.elasticsearchUrl,
      TRIAGE_API_PORT: String(port),
      // Any free ops port: tests run several at once (read it with `loggedOpsUrl` at LOG_LEVEL info).
      TRIAGE_API_OPS_PORT: '0',
      TRIAGE_API_HOST: '127.0.0.1',
      TRIAGE_AUTH_LOCAL_DIR: options.authDir,
      // Beside the keys: a folder of the test's own, removed with it.
      TRIAGE_API_STATE_DIR: path.join(options.authDir, '..', 'triage-api-state'),
      LOG_LEVEL: 'warn',
      ...(tls === undefined
        ? {}
        : { TRIAGE_API_TLS_CERT_FILE: tls.certFile, TRIAGE_API_TLS_KEY_FILE: tls.keyFile }),
      ...options.env,
    },
  });
  const bearer = async (role: UserRole, sub = `${role}-1`) =>
    `Bearer ${await signLocalToken({ dir: options.authDir, role, sub, ttlSeconds: 600 })}`;
  return { ...service, url, opsUrl: loggedOpsUrl(service.output()), bearer };
}
