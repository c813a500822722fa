import { createLogger } from '@triage/logging';
import { buildApp } from './app.ts';
import { createTriageApiAuth } from './auth-deps.ts';
import { loadTriageApiConfig } from './config.ts';

const config = loadTriageApiConfig(process.env);
const logger = createLogger({ name: 'triage-api', level: config.LOG_LEVEL });
const auth = await createTriageApiAuth(config, logger);
const app = await buildApp({ logger, ...auth });

await app.listen({ port: config.TRIAGE_API_PORT, host: config.TRIAGE_API_HOST });

process.once('SIGTERM', () => {
  logger.info('SIGTERM: no new requests, finishing the ones in flight');
  void app.close().then(() => process.exit(0));
});
