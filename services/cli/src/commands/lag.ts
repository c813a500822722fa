import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { commonEnv, loadConfig } from '@triage/config';
import { baseClientOptions, connectionFromConfig } from '@triage/messaging';
import type { Command } from 'commander';
import { stageLags } from './stage-groups.ts';

/** `triage lag [--wait]`: how many records each stage has left, optionally waiting until none. */
export function registerLagCommand(program: Command): void {
  program
    .command('lag')
    .description("Records each stage's consumer group has left to read (group ids from the services' env)")
    .option('--wait', 'poll until every stage has caught up, then exit 0 (exit 1 on --timeout)')
    .option('--timeout <seconds>', 'give up waiting after this long', '300')
    .action(async (flags: { wait?: boolean; timeout: string }) => {
      const config = loadConfig(commonEnv, process.env);
      const connection = connectionFromConfig(config);
      const admin = new Admin(baseClientOptions(connection, 'lag'));
      const deadline = Date.now() + Number(flags.timeout) * 1000;
      try {
        for (;;) {
          const lags = await stageLags(admin, connection);
          const pending = lags.reduce((sum, lag) => sum + lag.pending, 0);
          if (!flags.wait) {
            console.table(
              lags.map(({ stage, groupId, topic, pending: left }) => ({
                stage,
                groupId,
                topic,
                pending: left,
              })),
            );
            return;
          }
          process.stderr.write(`\r${lags.map((lag) => `${lag.stage} ${lag.pending}`).join(' | ')}   `);
          if (pending === 0) {
            process.stderr.write('\ncaught up\n');
            return;
          }
          if (Date.now() > deadline) {
            process.stderr.write('\ntimed out waiting for the stages to catch up\n');
            process.exitCode = 1;
            return;
          }
          await sleep(1000);
        }
      } finally {
        await admin.close();
      }
    });
}
