import { compactDecrypt, createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { createAuthController, generateSigningKeyEncryptionKey, type OAuthProviderOptions } from '../../core/index.js';
import { errorOf, pkcePair, type Harness, type TestClient, type TokenBody } from './harness.js';
import type { DefineConformanceTest } from './define.js';
import type { ConformanceAssertions } from './types.js';

const ISSUER = 'https://issuer.example';
const MCP = 'https://mcp.example/mcp';
const FILES = 'https://files.example/';
const OPAQUE = 'https://opaque.example/api';
/** The operator key of this run's providers: the test decrypts what they stored with it. */
const ENCRYPTION_KEY = generateSigningKeyEncryptionKey();
const SIGNING: OAuthProviderOptions = { issuer: ISSUER, signingKeys: { encryptionKey: ENCRYPTION_KEY } };

/** A JWT's header and claims, verified with jose against the provider's own JWK Set at the provider's clock. */
async function verified(h: Harness, token: string, audience = MCP): Promise<{ header: ProtectedHeaderParameters; claims: JWTPayload }> {
  const keys = createLocalJWKSet(await h.provider.keys.jwks());
  const { payload, protectedHeader } = await jwtVerify(token, keys, {
    issuer: ISSUER,
    audience,
    typ: 'at+jwt',
    algorithms: ['ES256', 'EdDSA'],
    currentDate: h.clock.now(),
  });
  return { header: protectedHeader, claims: payload };
}

/** Whether `token` is a JWS in compact serialization (three dot-separated parts) rather than an opaque token. */
const isJwt = (token: string) => token.split('.').length === 3;

/** The issuance id the guard of `resource` reports for a token (the row's id), or a failure. */
async function issuanceIdOf(t: ConformanceAssertions, h: Harness, token: string, resource: string): Promise<string | undefined> {
  const outcome = await h.bearer(token, undefined, resource);
  if (!outcome.ok) {
    t.fail('the guard refused the token');
    return undefined;
  }
  return outcome.oauth.token.id;
}

/** Tokens from the code flow for `user`, asked for `resource`. */
async function codeFlow(h: Harness, client: TestClient, resource: string | string[], scope?: string): Promise<TokenBody> {
  const user = await h.createUser();
  const pair = pkcePair();
  const { code } = await h.authorize(client, user, { code_challenge: pair.challenge, code_challenge_method: 'S256', resource, ...(scope ? { scope } : {}) });
  return h.issue({ grant_type: 'authorization_code', code, code_verifier: pair.verifier }, client);
}

/**
 * JWT access tokens (RFC 9068) for the resources defined with `tokenFormat: 'jwt'`: their header and
 * claims as verified against the provider's JWK Set, how introspection, revocation and the guard
 * treat them, their lifetime, the opaque default, and the private key at rest.
 */
export function jwtAccessTokens(define: DefineConformanceTest): void {
  const jwtTest = (title: string, run: Parameters<DefineConformanceTest>[1], options: OAuthProviderOptions = SIGNING) =>
    define.requiring(['storesResources', 'storesSigningKeys'], title, run, options);

  jwtTest('RFC 9068 §2.1, RFC 9068 §2.2 — a code flow for a jwt resource gets a JWT with typ at+jwt, signed with a published key, and every claim', async (t, h) => {
    await h.defineResource({ id: MCP, scopes: ['tools'], tokenFormat: 'jwt' });
    const client = await h.registerClient({ scopes: ['tools'] });
    const user = await h.createUser();
    const pair = pkcePair();
    const { code } = await h.authorize(client, user, { code_challenge: pair.challenge, code_challenge_method: 'S256', resource: MCP, scope: 'tools' });
    const body = await h.issue({ grant_type: 'authorization_code', code, code_verifier: pair.verifier }, client);
    t.is(body.token_type, 'Bearer');
    const { header, claims } = await verified(h, body.access_token);
    const [published] = (await h.provider.keys.jwks()).keys;
    t.deepEqual(header, { alg: 'ES256', kid: published?.kid, typ: 'at+jwt' });
    const iat = Math.floor(h.clock.now().getTime() / 1000);
    t.deepEqual(claims, {
      iss: ISSUER,
      sub: user.id,
      aud: MCP,
      exp: iat + 300,
      iat,
      jti: await issuanceIdOf(t, h, body.access_token, MCP),
      client_id: client.id,
      scope: 'tools',
    });
    t.is(body.expires_in, 300);
  });

  jwtTest('RFC 9068 §2.2 — a client_credentials JWT has the client id as sub, and aud an array for several resources', async (t, h) => {
    await h.defineResource({ id: MCP, tokenFormat: 'jwt' });
    await h.defineResource({ id: OPAQUE });
    const client = await h.registerClient();
    const body = await h.issue({ grant_type: 'client_credentials', resource: [MCP, OPAQUE] }, client);
    t.true(isJwt(body.access_token), 'one jwt resource among them makes the token a JWT');
    const { claims } = await verified(h, body.access_token, OPAQUE);
    t.is(claims.sub, client.id);
    t.is(claims['client_id'], client.id);
    t.deepEqual(claims.aud, [MCP, OPAQUE]);
    t.is(claims['scope'], 'basic');
  });

  jwtTest('RFC 9068 — access tokens stay opaque unless a resource asks for JWTs: a resource defined without tokenFormat, and a request naming no resource', async (t, h) => {
    await h.defineResource({ id: OPAQUE });
    const client = await h.registerClient();
    const named = await h.issue({ grant_type: 'client_credentials', resource: OPAQUE }, client);
    const none = await h.clientCredentials(client);
    for (const [token, resource] of [[named.access_token, OPAQUE], [none.access_token, undefined]] as const) {
      t.false(isJwt(token));
      t.regex(token, /^[A-Za-z0-9_-]{43}$/);
      t.true(await h.authenticates(token, resource));
    }
    t.is((await h.provider.resources.find(OPAQUE))?.tokenFormat, 'opaque');
  });

  jwtTest('RFC 9068 — a resource keeps the token format it is defined with, and a definition that leaves it out makes it opaque again', async (t, h) => {
    t.is((await h.provider.resources.define({ id: MCP, name: 'MCP', tokenFormat: 'jwt' })).tokenFormat, 'jwt');
    t.is((await h.provider.resources.find(MCP))?.tokenFormat, 'jwt');
    t.deepEqual((await h.provider.resources.list()).map((resource) => resource.tokenFormat), ['jwt']);
    t.is((await h.provider.resources.define({ id: MCP, name: 'MCP' })).tokenFormat, 'opaque');
    t.is((await h.provider.resources.find(MCP))?.tokenFormat, 'opaque');
  });

  jwtTest('RFC 9068 §2.2, RFC 8707 §2.2 — refreshes keep the format of the resources asked for: a JWT narrowed to a jwt resource, an opaque token narrowed to an opaque one', async (t, h) => {
    await h.defineResource({ id: MCP, tokenFormat: 'jwt' });
    await h.defineResource({ id: OPAQUE });
    const client = await h.registerClient();
    const first = await codeFlow(h, client, [MCP, OPAQUE]);
    t.true(isJwt(first.access_token));
    const toJwt = await h.issue({ grant_type: 'refresh_token', refresh_token: first.refresh_token, resource: MCP }, client);
    t.true(isJwt(toJwt.access_token));
    t.is((await verified(h, toJwt.access_token)).claims.aud, MCP);
    const again = await h.issue({ grant_type: 'refresh_token', refresh_token: toJwt.refresh_token }, client);
    t.true(isJwt(again.access_token), 'the narrowed grant stays a jwt resource’s');
    const other = await codeFlow(h, client, [MCP, OPAQUE]);
    const toOpaque = await h.issue({ grant_type: 'refresh_token', refresh_token: other.refresh_token, resource: OPAQUE }, client);
    t.false(isJwt(toOpaque.access_token));
  });

  jwtTest('RFC 7662 §2.2 — introspection describes a JWT access token as any token, from the same instants', async (t, h) => {
    await h.defineResource({ id: MCP, scopes: ['tools'], tokenFormat: 'jwt' });
    const client = await h.registerClient({ scopes: ['tools'] });
    const body = await codeFlow(h, client, MCP, 'tools');
    const { claims } = await verified(h, body.access_token);
    const info = (await h.introspect(client, body.access_token)).body as Record<string, unknown>;
    const { username: _username, ...described } = info;
    t.deepEqual(described, { active: true, scope: 'tools', client_id: client.id, aud: MCP, token_type: 'Bearer', exp: claims.exp, iat: claims.iat, sub: claims.sub });
  });

  jwtTest('RFC 7009 §2.1 — a revoked JWT access token is inactive at introspection and refused by the guard that reads the database', async (t, h) => {
    await h.defineResource({ id: MCP, tokenFormat: 'jwt' });
    const client = await h.registerClient();
    const body = await h.issue({ grant_type: 'client_credentials', resource: MCP }, client);
    t.true(await h.authenticates(body.access_token, MCP));
    t.is((await h.revoke(client, body.access_token)).status, 200);
    t.deepEqual((await h.introspect(client, body.access_token)).body, { active: false });
    t.false(await h.authenticates(body.access_token, MCP));
    t.truthy(await verified(h, body.access_token), 'its signature still verifies until exp: revocation cannot reach a copy verified locally');
  });

  jwtTest('RFC 9068 §2.2 — a JWT lives jwtAccessTokenLifetime at most (300 s by default), less when the client or the resource says so; exp is the stored expiry', async (t, h) => {
    await h.defineResource({ id: MCP, tokenFormat: 'jwt' });
    await h.defineResource({ id: FILES, tokenFormat: 'jwt', accessTokenLifetime: 60 });
    const client = await h.registerClient();
    const short = await h.registerClient({ accessTokenLifetime: 120 });
    const lifetimeOf = async (who: TestClient, resource: string) => {
      const body = await h.issue({ grant_type: 'client_credentials', resource }, who);
      const { claims } = await verified(h, body.access_token, resource);
      const info = (await h.introspect(who, body.access_token)).body as { exp: number };
      t.is(info.exp, claims.exp);
      t.is(body.expires_in, (claims.exp ?? 0) - (claims.iat ?? 0));
      return body.expires_in;
    };
    t.is(await lifetimeOf(client, MCP), 300);
    t.is(await lifetimeOf(short, MCP), 120);
    t.is(await lifetimeOf(client, FILES), 60);
    const body = await h.issue({ grant_type: 'client_credentials', resource: MCP }, client);
    h.clock.advance(299);
    t.true(await h.authenticates(body.access_token, MCP));
    h.clock.advance(1);
    t.false(await h.authenticates(body.access_token, MCP));
    t.deepEqual((await h.introspect(client, body.access_token)).body, { active: false });
  });

  jwtTest('RFC 9068 §2.2 — jwtAccessTokenLifetime sets the longest a JWT lives', async (t, h) => {
    await h.defineResource({ id: MCP, tokenFormat: 'jwt' });
    const client = await h.registerClient();
    const body = await h.issue({ grant_type: 'client_credentials', resource: MCP }, client);
    t.is(body.expires_in, 90);
    const { claims } = await verified(h, body.access_token);
    t.is((claims.exp ?? 0) - (claims.iat ?? 0), 90);
  }, { ...SIGNING, jwtAccessTokenLifetime: 90 });

  jwtTest('RFC 9700 §4.15 — a user whose id is the client’s is refused a JWT through that client (invalid_grant), since sub would read as the client', async (t, h) => {
    await h.defineResource({ id: MCP, tokenFormat: 'jwt' });
    const client = await h.registerClient({ id: 'shared-id' });
    await h.provider.users.create({ id: 'shared-id', username: 'shared-user', password: 'a password of the user' });
    const refused = await h.token({ grant_type: 'password', username: 'shared-user', password: 'a password of the user', resource: MCP }, client);
    t.is(refused.status, 400);
    t.is(errorOf(refused), 'invalid_grant');
    const own = await h.issue({ grant_type: 'client_credentials', resource: MCP }, client);
    t.is((await verified(h, own.access_token)).claims.sub, 'shared-id');
  });

  define.requiring(['storesResources', 'storesSigningKeys', 'inspectsRows'], 'RFC 7516 §7.1 — a signing key’s private half is stored only as a JWE under the operator key: no stored value holds its private member', async (t, h) => {
    const { dumpAllRows } = h.subject;
    if (!dumpAllRows) throw new Error('setup returned no dumpAllRows(): return one, or pass inspectsRows: false to register this test as skipped');
    await h.defineResource({ id: MCP, tokenFormat: 'jwt' });
    const client = await h.registerClient();
    const body = await h.issue({ grant_type: 'client_credentials', resource: MCP }, client);
    const [key] = await h.provider.keys.list();
    const dump = await dumpAllRows();
    const sealed = dump.filter((value) => /^eyJ[\w-]*\.\.[\w-]+\.[\w-]+\.[\w-]+$/.test(value));
    t.is(sealed.length, 1, 'one stored value is a compact JWE with direct encryption');
    const jwe = sealed[0] ?? '';
    const { alg, enc } = decodeProtectedHeader(jwe);
    t.deepEqual([alg, enc], ['dir', 'A256GCM']);
    const { plaintext } = await compactDecrypt(jwe, Buffer.from(ENCRYPTION_KEY, 'base64url'));
    const privateJwk = JSON.parse(new TextDecoder().decode(plaintext)) as { d: string; x: string };
    t.is(privateJwk.x, key?.publicJwk.x, 'it is the private half of the published key');
    t.true(privateJwk.d.length >= 43);
    t.false(dump.some((value) => value.includes(privateJwk.d)), 'the private member is stored in clear nowhere');
    t.false(dump.some((value) => value.includes(body.access_token)), 'the JWT itself is stored only as its digest');
    t.false(JSON.stringify(await h.provider.keys.jwks()).includes(privateJwk.d));
  }, SIGNING);

  jwtTest('RFC 7518 §3.3 — an RS256 key round-trips through the storage: its public half is read back as stored, its sealed private half signs a JWT that verifies with RS256 against the JWK Set', async (t, h) => {
    await h.defineResource({ id: MCP, tokenFormat: 'jwt' });
    const client = await h.registerClient();
    const { key } = await h.provider.keys.rotate({ publishAheadSeconds: 0 });
    t.is(key.alg, 'RS256');
    const [listed] = await h.provider.keys.list();
    t.deepEqual(listed?.publicJwk, key.publicJwk, 'the public half is read back as stored (kty RSA, n, e)');
    t.is(key.publicJwk.n?.length, 342, 'a 2048-bit modulus');
    const body = await h.issue({ grant_type: 'client_credentials', resource: MCP }, client);
    const { protectedHeader } = await jwtVerify(body.access_token, createLocalJWKSet(await h.provider.keys.jwks()), {
      issuer: ISSUER,
      audience: MCP,
      typ: 'at+jwt',
      algorithms: ['RS256'],
      currentDate: h.clock.now(),
    });
    t.deepEqual([protectedHeader.alg, protectedHeader.kid], ['RS256', key.id]);
  }, { ...SIGNING, signingKeys: { encryptionKey: ENCRYPTION_KEY, algorithm: 'RS256' } });

  jwtTest('RFC 9068 §2.2 — a provider without issuer answers a JWT request 500 server_error, and its onError hears signing_issuer_missing naming the resource', async (t, h) => {
    await h.defineResource({ id: MCP, tokenFormat: 'jwt' });
    const client = await h.registerClient();
    const heard: unknown[] = [];
    const controller = createAuthController({ server: h.server, provider: h.provider, onError: (error) => heard.push(error) });
    const response = await controller.token({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
      query: {},
      body: { grant_type: 'client_credentials', resource: MCP },
    });
    t.is(response.status, 500);
    t.is(errorOf(response), 'server_error');
    const reported = heard[0] as { inner?: { code?: string; message?: string } } | undefined;
    t.is(reported?.inner?.code, 'signing_issuer_missing');
    t.regex(reported?.inner?.message ?? '', /resource https:\/\/mcp\.example\/mcp is issued JWT access tokens \(RFC 9068\), but the provider has no `issuer` option/);
    t.true(await h.authenticates((await h.clientCredentials(client)).access_token), 'other tokens are issued as before');
  }, { signingKeys: { encryptionKey: ENCRYPTION_KEY } });

  define.lacking('storesSigningKeys', 'without a signing-key port, a resource cannot be defined with tokenFormat jwt, and provider.keys throws a TypeError saying the storage keeps no signing keys', async (t, h) => {
    let refused: unknown;
    try {
      await h.provider.resources.define({ id: MCP, name: 'MCP', tokenFormat: 'jwt' });
    } catch (error) {
      refused = error;
    }
    t.is((refused as { field?: string } | undefined)?.field, 'tokenFormat');
    for (const call of [() => h.provider.keys.list(), () => h.provider.keys.jwks(), () => h.provider.keys.rotate()]) {
      let error: unknown;
      try {
        await call();
      } catch (thrown) {
        error = thrown;
      }
      t.true(error instanceof TypeError);
      t.regex((error as Error).message, /no signing-key port/);
    }
  });
}
