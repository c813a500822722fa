export { type JwksServer, serveJwks } from './jwks-server.ts';
export { localIssuerVerifier } from './local-verifier.ts';
