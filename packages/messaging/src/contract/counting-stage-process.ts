// Runs the counting stage as its own process, so a contract test can SIGKILL it mid-batch
// or SIGTERM it to check the drain. Configured by environment variables set by the test.
import { createLogger } from '@triage/logging';
import { createCodec } from '@triage/schemas';
import { createCountingStage } from './counting-stage.ts';

const stage = createCountingStage({
  connection: {
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    clientId: 'contract-child',
    topicPrefix: process.env.TOPIC_PREFIX ?? '',
  },
  groupId: process.env.GROUP_ID ?? 'contract',
  logger: createLogger({ name: 'contract-child', level: 'warn' }),
  codec: createCodec(),
  delayMs: Number(process.env.DELAY_MS ?? '0'),
  onRecord: (input) => process.stdout.write(`processed ${input.id}\n`),
});

process.once('SIGTERM', () => {
  void stage.stop().then(() => {
    process.stdout.write(`stopped ${JSON.stringify(stage.runner.metrics())}\n`);
    process.exit(0);
  });
});

await stage.runner.start();
process.stdout.write('started\n');
