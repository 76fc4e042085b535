/**
 * An authorization server reduced to what a resource server that verifies JWTs reads from it, on a
 * loopback port: its RFC 8414 metadata (`issuer`, `jwks_uri`) and its key set, counting every
 * request to the key set. The tests sign tokens with its private keys (jose), publish keys and
 * withdraw them, as an issuer rotating its keys does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { HeldRequests } from './held-requests.js';

export interface SigningKey {
  kid: string;
  alg: 'ES256' | 'EdDSA';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface SigningIssuer {
  /** `http://127.0.0.1:<port>`: its issuer identifier. */
  issuer: string;
  jwksUri: string;
  /** Requests the key set has received. */
  readonly jwksRequests: number;
  /** What the key set answers: 200 with the published keys (default), or this status with an error. */
  jwksStatus: number;
  /** The requests to the key set, which it can hold unanswered (an issuer that hangs), then answer with the keys published then. */
  jwks: HeldRequests;
  /** The key tokens are signed with unless told otherwise (published). */
  key: SigningKey;
  /** A new key pair, not yet published. */
  newKey(alg?: 'ES256' | 'EdDSA'): Promise<SigningKey>;
  /** Puts `key` in the published set. */
  publish(key: SigningKey): void;
  /** Takes `key` out of the published set. */
  withdraw(key: SigningKey): void;
  /**
   * A token as the issuer would sign it: RFC 9068 claims for `resource` at `nowSeconds`, lasting
   * five minutes, with `claims` and `header` laid over them (a claim set to undefined is left out).
   */
  sign(options: { resource: string; nowSeconds: number; claims?: Record<string, unknown>; header?: Record<string, unknown>; key?: SigningKey }): Promise<string>;
  close(): Promise<void>;
}

let keyCounter = 0;

export async function startSigningIssuer(): Promise<SigningIssuer> {
  const published: SigningKey[] = [];
  let jwksStatus = 200;
  const jwks = new HeldRequests();
  let origin = '';
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.url === '/.well-known/oauth-authorization-server') return send(200, { issuer: origin, jwks_uri: `${origin}/jwks` });
    if (request.url === '/jwks') {
      return jwks.handle(() => (jwksStatus === 200 ? send(200, { keys: published.map((key) => key.publicJwk) }) : send(jwksStatus, { error: 'unavailable' })));
    }
    send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const newKey = async (alg: 'ES256' | 'EdDSA' = 'ES256'): Promise<SigningKey> => {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    keyCounter += 1;
    const kid = `key-${keyCounter}`;
    return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
  };
  const key = await newKey();
  published.push(key);

  return {
    issuer: origin,
    jwksUri: `${origin}/jwks`,
    get jwksRequests() {
      return jwks.arrived;
    },
    get jwksStatus() {
      return jwksStatus;
    },
    set jwksStatus(status: number) {
      jwksStatus = status;
    },
    jwks,
    key,
    newKey,
    publish: (added) => void published.push(added),
    withdraw: (removed) => void published.splice(published.indexOf(removed), 1),
    async sign({ resource, nowSeconds, claims = {}, header = {}, key: signer = key }) {
      const payload: Record<string, unknown> = {
        iss: origin,
        sub: 'user-1',
        aud: resource,
        client_id: 'app-1',
        scope: 'notes:read notes:write',
        jti: `jti-${Math.random().toString(36).slice(2)}`,
        iat: nowSeconds,
        exp: nowSeconds + 300,
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: signer.alg, typ: 'at+jwt', kid: signer.kid, ...header }).sign(signer.privateKey);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        jwks.release();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
