import { Command } from 'commander';

/** Builds the `triage` command tree; each group registers itself from its own module. */
export function buildProgram(): Command {
  const program = new Command('triage')
    .description('Operator CLI for the triage pipeline')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });
  return program;
}
