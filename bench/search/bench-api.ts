// The triage API as main.ts builds it, for the search suite (the triage API's test harness: the
// local development issuer in a temp folder, a real AuditTrail and ActionLog with acks=all on the
// bench's own topics), Elasticsearch through the client given (the suite's recording one).
// Requests go through `inject`.
import type { KafkaConnection } from '@triage/messaging';
import type { SearchClient } from '@triage/search';
import { startTestApi } from '@triage/triage-api/testing';

export interface BenchApi {
  /** GET `url` as an analyst: status and body. */
  get(url: string): Promise<{ statusCode: number; body: string }>;
  close(): Promise<void>;
}

/** The harness signs tokens for 5 minutes: a fresh one every minute keeps a long run authorised. */
const tokenRefreshMs = 60_000;

/** `connection`: where the API's audit events and actions go (its topics must exist). */
export async function startBenchApi(options: {
  connection: KafkaConnection;
  client: SearchClient;
  prefix: string;
}): Promise<BenchApi> {
  const api = await startTestApi({
    connection: options.connection,
    search: { client: options.client, prefix: options.prefix },
  });
  let authorization = await api.bearer('analyst', 'bench-analyst');
  const refresh = setInterval(() => {
    void api.bearer('analyst', 'bench-analyst').then((token) => {
      authorization = token;
    });
  }, tokenRefreshMs);
  return {
    get: (url) => api.app.inject({ method: 'GET', url, headers: { authorization } }),
    async close() {
      clearInterval(refresh);
      await api.close();
    },
  };
}
