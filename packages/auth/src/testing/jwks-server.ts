import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';

export interface JwksServer {
  /** `http://127.0.0.1:<port>/.well-known/jwks.json` */
  url: URL;
  /** How many times the key set was fetched. */
  fetches: () => number;
  /** Serves another key set from now on, as an issuer does when it rotates its keys. */
  publish: (jwks: JSONWebKeySet) => void;
  close: () => Promise<void>;
}

/** Serves a key set over real HTTP on 127.0.0.1, as an issuer's JWKS endpoint does. */
export async function serveJwks(initial: JSONWebKeySet): Promise<JwksServer> {
  let fetches = 0;
  let jwks = initial;
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`),
    fetches: () => fetches,
    publish: (next) => {
      jwks = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
