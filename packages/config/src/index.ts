export { commonEnv, csv, port } from './common-env.ts';
export { type EnvSection, renderEnvExample } from './env-example.ts';
export { type Env, type EnvShape, loadConfig } from './load-config.ts';
export { opsPort, opsPortDefaults } from './ops-env.ts';
