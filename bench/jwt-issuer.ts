/**
 * The issuer of the JWT guard scenarios: an ES256 key pair, its public key served as a key set
 * (RFC 7517 §5) on a loopback port of the harness process, and access tokens signed with it as
 * RFC 9068 lays them out. The server under test fetches the key set once; the request count says so.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { TokenSet } from './seeding.js';

export interface BenchJwtIssuer {
  issuer: string;
  jwksUri: string;
  /** The resource the tokens are for (their `aud`). */
  resource: string;
  tokens: TokenSet;
  jwksRequests(): number;
  close(): Promise<void>;
}

export async function startBenchJwtIssuer(count: number): Promise<BenchJwtIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'ES256', use: 'sig' };
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    response.writeHead(request.url === '/jwks' ? 200 : 404, { 'content-type': 'application/json' });
    response.end(request.url === '/jwks' ? JSON.stringify({ keys: [jwk] }) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const resource = 'https://api.bench.example/resource';
  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  for (let n = 1; n <= count; n++) {
    tokens.push(
      await new SignJWT({ client_id: 'bench-client', scope: 'read' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid })
        .setIssuer(issuer)
        .setSubject(`user-${n}`)
        .setAudience(resource)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 6 * 3600)
        .sign(privateKey),
    );
  }
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    resource,
    tokens: { count, token: (n) => tokens[n - 1]! },
    jwksRequests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
