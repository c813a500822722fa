import { loadConfig, opsPortDefaults } from '@triage/config';
import { z } from 'zod';

/** The operator CLI's own variables: where it reaches the HTTP services (`triage status`, `feed push`). */
export const cliEnv = {
  INTAKE_URL: z
    .url()
    .optional()
    .describe(
      "Intake's base URL as the operator CLI reaches it (`triage feed push`); unset: http://127.0.0.1:$INTAKE_PORT",
    ),
  INTAKE_OPS_URL: z
    .url()
    .optional()
    .describe(
      "Intake's ops base URL (`/readyz` with the checks behind it; `triage status`); unset: http://127.0.0.1:$INTAKE_OPS_PORT (9464)",
    ),
  TRIAGE_API_OPS_URL: z
    .url()
    .optional()
    .describe(
      "The triage API's ops base URL (`/readyz` with the checks behind it; `triage status`); unset: http://127.0.0.1:$TRIAGE_API_OPS_PORT (9465)",
    ),
} as const;

/**
 * Ops base URLs of intake and the triage API: the variables, else the local ops ports. Their
 * `/readyz` says which dependency is down; the partners' and analysts' ports only say whether.
 */
export function opsUrls(env: NodeJS.ProcessEnv): { intake: string; triageApi: string } {
  const config = loadConfig(cliEnv, env);
  const local = (variable: string, fallback: number) =>
    `http://127.0.0.1:${Number(env[variable] || fallback)}`;
  return {
    intake: config.INTAKE_OPS_URL ?? local('INTAKE_OPS_PORT', opsPortDefaults.intake),
    triageApi: config.TRIAGE_API_OPS_URL ?? local('TRIAGE_API_OPS_PORT', opsPortDefaults['triage-api']),
  };
}

/** Intake's base URL: the variable, else the local port `triage up` uses. */
export function serviceUrls(env: NodeJS.ProcessEnv): { intake: string } {
  const config = loadConfig(cliEnv, env);
  return { intake: config.INTAKE_URL ?? `http://127.0.0.1:${Number(env.INTAKE_PORT || 8080)}` };
}
