#!/usr/bin/env node
import { isTriageError } from '@triage/errors';
import { buildProgram } from './program.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  // The CLI's edge: print the code and message, never a stack trace, and fail.
  if (isTriageError(error)) console.error(`${error.code}: ${error.message}`);
  else console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
