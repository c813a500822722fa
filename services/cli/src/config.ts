import { loadConfig } from '@triage/config';
import { z } from 'zod';

/** The operator CLI's own variables: where it reaches the HTTP services (`triage status`, `feed push`). */
export const cliEnv = {
  INTAKE_URL: z
    .url()
    .optional()
    .describe(
      "Intake's base URL as the operator CLI reaches it (`triage status`, `triage feed push`); unset: http://127.0.0.1:$INTAKE_PORT",
    ),
  TRIAGE_API_URL: z
    .url()
    .optional()
    .describe(
      "The triage API's base URL as the operator CLI reaches it (`triage status`); unset: http://127.0.0.1:$TRIAGE_API_PORT",
    ),
} as const;

/** Base URLs of intake and the triage API: the variables, else the local ports `triage up` uses. */
export function serviceUrls(env: NodeJS.ProcessEnv): { intake: string; triageApi: string } {
  const config = loadConfig(cliEnv, env);
  return {
    intake: config.INTAKE_URL ?? `http://127.0.0.1:${Number(env.INTAKE_PORT || 8080)}`,
    triageApi: config.TRIAGE_API_URL ?? `http://127.0.0.1:${Number(env.TRIAGE_API_PORT || 8081)}`,
  };
}
