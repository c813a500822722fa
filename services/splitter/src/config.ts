import { commonEnv, type Env, loadConfig, opsPort } from '@triage/config';
import { z } from 'zod';

export const splitterEnv = {
  ...commonEnv,
  SPLITTER_OPS_PORT: opsPort('splitter'),
  SPLITTER_GROUP_ID: z
    .string()
    .min(1)
    .default('splitter')
    .describe('Consumer group of the splitter stage (intake.bundles)'),
} as const;

export type SplitterConfig = ReturnType<typeof loadSplitterConfig>;

export function loadSplitterConfig(env: Env) {
  return loadConfig(splitterEnv, env);
}
