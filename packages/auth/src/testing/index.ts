export { type JwksServer, serveJwks } from './jwks-server.ts';
