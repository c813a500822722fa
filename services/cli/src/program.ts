import { Command } from 'commander';
import { registerAuditCommands } from './commands/audit.ts';
import { registerBundleCommands } from './commands/bundle.ts';
import { registerCasesCommand } from './commands/cases.ts';
import { registerConfigCommands } from './commands/config.ts';
import { registerDlqCommands } from './commands/dlq.ts';
import { registerEnrichCommand } from './commands/enrich.ts';
import { registerEraseCommand } from './commands/erase.ts';
import { registerExplainCommand } from './commands/explain.ts';
import { registerFeedCommands } from './commands/feed.ts';
import { registerHashFilesCommand } from './commands/hash.ts';
import { registerHashCheckCommand } from './commands/hash-check.ts';
import { registerHashCommands } from './commands/hashes.ts';
import { registerHosterCommands } from './commands/hosters.ts';
import { registerKafkaCommands } from './commands/kafka.ts';
import { registerLagCommand } from './commands/lag.ts';
import { registerMediaCommands } from './commands/media.ts';
import { registerPartnerCommands } from './commands/partners.ts';
import { registerReplayCommands } from './commands/replay.ts';
import { registerIndexCommands } from './commands/search-index.ts';
import { registerStackCommands } from './commands/stack.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerTokenCommand } from './commands/token.ts';
import { registerTopicCommands } from './commands/topics.ts';
import { registerUpCommands } from './commands/up.ts';

/** Builds the `triage` command tree; each group registers itself from its own module. */
export function buildProgram(): Command {
  const program = new Command('triage')
    .description('Operator CLI for the triage pipeline')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });
  registerAuditCommands(program);
  registerBundleCommands(program);
  registerCasesCommand(program);
  registerConfigCommands(program);
  registerDlqCommands(program);
  registerEnrichCommand(program);
  registerEraseCommand(program);
  registerExplainCommand(program);
  registerFeedCommands(program);
  registerHashCommands(program);
  registerHashFilesCommand(program);
  registerHashCheckCommand(program);
  registerHosterCommands(program);
  registerIndexCommands(program);
  registerKafkaCommands(program);
  registerLagCommand(program);
  registerMediaCommands(program);
  registerPartnerCommands(program);
  registerReplayCommands(program);
  registerStackCommands(program);
  registerStatusCommand(program);
  registerTokenCommand(program);
  registerTopicCommands(program);
  registerUpCommands(program);
  return program;
}
