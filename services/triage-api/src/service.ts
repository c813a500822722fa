// What bench/ and test/ embed of the triage API (the boundary rules' `./service` entry): the app
// without listening, and the token verifier main.ts builds from the configuration.
export { buildApp, type TriageApiDeps } from './app.ts';
export { createTriageApiAuth, type TriageApiAuth } from './auth-deps.ts';
