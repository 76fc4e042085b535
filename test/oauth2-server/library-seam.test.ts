/**
 * What the kit's adapter to @node-oauth/oauth2-server assumes of the library (docs/adr/0006), each
 * assumption checked against the installed version with a model that only records what the
 * library does. An upgrade that changes one of them fails here, by name, before it can break a
 * grant in a way the conformance suite would report only as a symptom.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import { createAuthController, createGuard, OAuthProvider } from '../../src/core/index.js';
import { LIBRARY_REDIRECT_URI_MISMATCH, LIBRARY_REDIRECT_URI_NOT_A_URI } from '../../src/core/oauth2-server/token-request.js';
import { modelForRequest, tokenRequestFactsOf, type TokenRequestFacts } from '../../src/core/oauth2-server/token-request-facts.js';
import { MemoryStorage } from '../../src/testing/index.js';

const CLIENT = { id: 'client', grants: ['password', 'refresh_token', 'authorization_code'], redirectUris: ['https://app.example/cb'] };

/** A model that answers every grant and records the library's calls, with the objects it passed. */
function recordingModel(options: { codeExpiresAt?: unknown; refreshTokenExpiresAt?: unknown } = {}) {
  const calls: Array<{ method: string; args: unknown[]; self: unknown }> = [];
  const user = { id: 'user' };
  const refreshToken = { refreshToken: 'r', client: CLIENT, user, refreshTokenExpiresAt: options.refreshTokenExpiresAt };
  const code = {
    authorizationCode: 'c',
    expiresAt: 'codeExpiresAt' in options ? options.codeExpiresAt : new Date(Date.now() + 60_000),
    redirectUri: 'https://app.example/cb',
    client: CLIENT,
    user,
  };
  const record =
    <T>(method: string, answer: (...args: unknown[]) => T) =>
    async function (this: unknown, ...args: unknown[]) {
      calls.push({ method, args, self: this });
      return answer(...args);
    };
  const model = {
    generateAccessToken: record('generateAccessToken', () => 'generated-access'),
    generateRefreshToken: record('generateRefreshToken', () => 'generated-refresh'),
    getClient: record('getClient', () => CLIENT),
    getUser: record('getUser', () => user),
    validateScope: record('validateScope', () => ['read']),
    saveToken: record('saveToken', (token, client, owner) => ({ ...(token as object), client, user: owner })),
    getAccessToken: record('getAccessToken', () => null),
    getRefreshToken: record('getRefreshToken', () => refreshToken),
    revokeToken: record('revokeToken', () => true),
    getAuthorizationCode: record('getAuthorizationCode', () => code),
    revokeAuthorizationCode: record('revokeAuthorizationCode', () => true),
    saveAuthorizationCode: record('saveAuthorizationCode', () => null),
  };
  const server = new OAuth2Server({ model: model as never, requireClientAuthentication: { password: false, refresh_token: false, authorization_code: false } });
  return { server, model, calls, user, refreshToken, code };
}

function tokenRequest(body: Record<string, string>, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1' }) {
  return new OAuth2Server.Request({ method: 'POST', headers, query: {}, body: { client_id: 'client', ...body } });
}

const run = (server: OAuth2Server, request: OAuth2Server.Request) => server.token(request, new OAuth2Server.Response({ headers: {} }));

test('the token handler refuses a body without a form content-type and length: the kit presents parsed bodies as a form', async (t) => {
  const { server } = recordingModel();
  const variants: Array<Record<string, string>> = [{}, { 'content-type': 'application/json', 'content-length': '1' }, { 'content-type': 'application/x-www-form-urlencoded' }];
  for (const headers of variants) {
    await t.throwsAsync(run(server, tokenRequest({ grant_type: 'password', username: 'u', password: 'p' }, headers)), {
      message: 'Invalid request: content must be application/x-www-form-urlencoded',
    });
  }
});

test('the token handler reads the parameters from request.body, not from the bytes the headers describe', async (t) => {
  const { server, calls } = recordingModel();
  await run(server, tokenRequest({ grant_type: 'password', username: 'alice', password: 'secret' }));
  t.deepEqual(calls.find((call) => call.method === 'getUser')?.args, ['alice', 'secret', CLIENT]);
});

test('tokens come from the model’s generateAccessToken and generateRefreshToken, and reach saveToken', async (t) => {
  const { server, calls } = recordingModel();
  await run(server, tokenRequest({ grant_type: 'password', username: 'u', password: 'p' }));
  const [token] = calls.find((call) => call.method === 'saveToken')!.args as [{ accessToken: string; refreshToken: string }];
  t.is(token.accessToken, 'generated-access');
  t.is(token.refreshToken, 'generated-refresh');
});

test('the client from getClient is the very object handed to validateScope and saveToken', async (t) => {
  const { server, calls } = recordingModel();
  await run(server, tokenRequest({ grant_type: 'password', username: 'u', password: 'p', scope: 'read' }));
  t.is(calls.find((call) => call.method === 'validateScope')!.args[1], CLIENT);
  t.is(calls.find((call) => call.method === 'saveToken')!.args[1], CLIENT);
});

test('RFC 6749 §3.3 — the library refuses an empty or blank scope as malformed, which is why the kit reads one as no scope', async (t) => {
  for (const scope of ['', '   ']) {
    const { server } = recordingModel();
    await t.throwsAsync(run(server, tokenRequest({ grant_type: 'password', username: 'u', password: 'p', scope })), {
      name: 'invalid_scope',
      message: 'Invalid parameter: `scope`',
    });
  }
});

test('RFC 6749 §3.3 — validateScope gets undefined for a request without scope, and the code’s own scope at an exchange', async (t) => {
  // The default policy gives the first the client's default scope, and the second exactly what the code holds.
  const password = recordingModel();
  await run(password.server, tokenRequest({ grant_type: 'password', username: 'u', password: 'p' }));
  t.is(password.calls.find((call) => call.method === 'validateScope')!.args[2], undefined);
  const exchange = recordingModel();
  const granted: string[] = [];
  Object.assign(exchange.code, { scope: granted });
  await run(exchange.server, tokenRequest({ grant_type: 'authorization_code', code: 'c', redirect_uri: 'https://app.example/cb' }));
  t.is(exchange.calls.find((call) => call.method === 'validateScope')!.args[2], granted);
});

test('RFC 6749 §6 — the refresh grant revokes the old token before it saves the new one, passing the objects getRefreshToken returned', async (t) => {
  const { server, calls, refreshToken, user } = recordingModel();
  await run(server, tokenRequest({ grant_type: 'refresh_token', refresh_token: 'r' }));
  const order = calls.map((call) => call.method).filter((method) => ['getRefreshToken', 'revokeToken', 'saveToken'].includes(method));
  // Why the kit claims the old token in saveToken, once its successor is stored (docs/adr/0003).
  t.deepEqual(order, ['getRefreshToken', 'revokeToken', 'saveToken']);
  t.is(calls.find((call) => call.method === 'revokeToken')!.args[0], refreshToken);
  t.is(calls.find((call) => call.method === 'saveToken')!.args[2], user);
});

test('RFC 8707 §2.2 — the library hands the model no request; it takes a model per call and calls every method on it, where the kit puts the resources and the source address', async (t) => {
  const bodies: Array<Record<string, string>> = [
    { grant_type: 'password', username: 'u', password: 'p' },
    { grant_type: 'refresh_token', refresh_token: 'r' },
    { grant_type: 'authorization_code', code: 'c', redirect_uri: 'https://app.example/cb' },
  ];
  for (const body of bodies) {
    const { server, model, calls } = recordingModel();
    const facts: TokenRequestFacts = { resources: ['https://api.example/'], scopeNamed: false, sourceAddress: '192.0.2.7' };
    const request = tokenRequest({ ...body, resource: 'https://api.example/' });
    await server.token(request, new OAuth2Server.Response({ headers: {} }), { model: modelForRequest(model, facts) } as OAuth2Server.TokenOptions);
    t.true(calls.length > 3, body.grant_type);
    for (const call of calls) t.is(tokenRequestFactsOf(call.self), facts, `${body.grant_type}: ${call.method}`);
    // The server's own model is untouched: a request without the kit's endpoint has no facts.
    t.is(tokenRequestFactsOf(model), undefined, body.grant_type);
    // saveToken gets (token, client, user), and the token none of the request's parameters.
    const [token, ...rest] = calls.find((call) => call.method === 'saveToken')!.args as [Record<string, unknown>, ...unknown[]];
    t.is(rest.length, 2, body.grant_type);
    t.false('resource' in token, body.grant_type);
  }
});

test('the refresh grant checks refreshTokenExpiresAt against the wall clock only when the model returns one', async (t) => {
  const past = recordingModel({ refreshTokenExpiresAt: new Date(Date.now() - 1000) });
  await t.throwsAsync(run(past.server, tokenRequest({ grant_type: 'refresh_token', refresh_token: 'r' })), { message: /refresh token has expired/ });
  // The kit has checked expiry against the provider's clock already, and returns none.
  const none = recordingModel({ refreshTokenExpiresAt: undefined });
  await t.notThrowsAsync(run(none.server, tokenRequest({ grant_type: 'refresh_token', refresh_token: 'r' })));
});

test('the code grant insists on a Date expiresAt and compares it with the wall clock', async (t) => {
  const request = () => tokenRequest({ grant_type: 'authorization_code', code: 'c', redirect_uri: 'https://app.example/cb' });
  await t.throwsAsync(run(recordingModel({ codeExpiresAt: undefined }).server, request()), { message: /`expiresAt` must be a Date/ });
  await t.throwsAsync(run(recordingModel({ codeExpiresAt: new Date(Date.now() - 1000) }).server, request()), { message: /code has expired/ });
  // The kit has checked expiry against the provider's clock already, and hands the latest Date.
  await t.notThrowsAsync(run(recordingModel({ codeExpiresAt: new Date(8.64e15) }).server, request()));
});

test('the library derives expires_in from accessTokenExpiresAt and the wall clock, which is why the kit restates it', async (t) => {
  const { server, model } = recordingModel();
  const lifetimeMs = 3_600_000;
  model.saveToken = async (token, client, owner) => ({ ...(token as object), accessTokenExpiresAt: new Date(Date.now() + lifetimeMs - 2_000_000), client, user: owner });
  const response = new OAuth2Server.Response({ headers: {} });
  await server.token(tokenRequest({ grant_type: 'password', username: 'u', password: 'p' }), response);
  t.true((response.body as { expires_in: number }).expires_in <= 1600);
});

test('RFC 6749 §5.1 — expires_in is the access token’s lifetime exactly, as the provider’s clock measures it', async (t) => {
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  await provider.scopes.define('read');
  const { client, clientSecret } = await provider.clients.create({
    name: 'c',
    grants: ['client_credentials'],
    scopes: ['read'],
    defaultScopes: ['read'],
    accessTokenLifetime: 900,
  });
  const controller = createAuthController({ server: new OAuth2Server({ model: provider.clientModel() }), provider });
  const response = await controller.token({
    method: 'POST',
    headers: {},
    query: {},
    body: { grant_type: 'client_credentials', client_id: client.id, client_secret: clientSecret! },
  });
  t.is((response.body as { expires_in: number }).expires_in, 900);
});

test('the server keeps its model as server.options.model, where a guard given only the server finds its provider', async (t) => {
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  const model = provider.clientModel();
  const server = new OAuth2Server({ model });
  t.is((server as unknown as { options: { model: unknown } }).options.model, model);
  const guard = createGuard({ server });
  t.like(await guard.check({ method: 'GET', headers: {}, query: {}, body: {} }), { ok: false, response: { status: 401 } });
});

test('a provider’s clock, not the wall clock, decides expiry through the whole token endpoint', async (t) => {
  // Two hours behind the wall clock: the library's own checks would refuse everything issued here.
  let instant = Date.now() - 2 * 3_600_000;
  // The password grant is an explicit opt-in (RFC 9700 §2.4); this test signs in through it.
  const provider = new OAuthProvider(new MemoryStorage(), {
    passwordHashCost: { N: 1024, r: 8, p: 1 },
    now: () => new Date(instant),
    allowPasswordGrant: true,
  });
  const user = await provider.users.create({ username: 'alice', password: 'correct horse' });
  await provider.scopes.define('read');
  const { clientSecret } = await provider.clients.create({
    id: 'app',
    name: 'app',
    grants: ['password', 'refresh_token'],
    scopes: ['read'],
    defaultScopes: ['read'],
  });
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const controller = createAuthController({ server, provider });
  const token = (body: Record<string, string>) =>
    controller.token({ method: 'POST', headers: {}, query: {}, body: { client_id: 'app', client_secret: clientSecret!, ...body } });
  const first = await token({ grant_type: 'password', username: 'alice', password: 'correct horse' });
  t.is(first.status, 200);
  const { refresh_token: refresh, expires_in } = first.body as { refresh_token: string; expires_in: number };
  t.is(expires_in, 3600);
  instant += 60_000;
  t.is((await token({ grant_type: 'refresh_token', refresh_token: refresh })).status, 200);
  t.truthy(user.id);
});

const basicOf = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1' };
const clientRequest = (body: Record<string, string>, headers: Record<string, string> = formHeaders) =>
  new OAuth2Server.Request({ method: 'POST', headers, query: {}, body });
const getClientArgs = (calls: Array<{ method: string; args: unknown[] }>) => calls.find((call) => call.method === 'getClient')?.args;

test('RFC 6749 §2.3.1 — the token handler takes Basic credentials undecoded, which is why the kit reads Basic itself', async (t) => {
  const { server, calls } = recordingModel();
  const request = clientRequest({ grant_type: 'password', username: 'u', password: 'p' }, { ...formHeaders, authorization: basicOf('demo%2Dclient:s%2Bcret') });
  await run(server, request).catch(() => undefined);
  t.deepEqual(getClientArgs(calls), ['demo%2Dclient', 's%2Bcret']);
});

test('the token handler prefers a Basic header to client_id/client_secret in the body, which is why the kit removes the header', async (t) => {
  const { server, calls } = recordingModel();
  const body = { grant_type: 'password', username: 'u', password: 'p', client_id: 'from-body', client_secret: 'body-secret' };
  await run(server, clientRequest(body, { ...formHeaders, authorization: basicOf('from-header:header-secret') })).catch(() => undefined);
  t.deepEqual(getClientArgs(calls), ['from-header', 'header-secret']);
});

test('without a Basic header the token handler authenticates with client_id and client_secret from the body, as the kit hands decoded Basic', async (t) => {
  const { server, calls } = recordingModel();
  await run(server, clientRequest({ grant_type: 'password', username: 'u', password: 'p', client_id: 'demo-client', client_secret: 's+cret ' }));
  t.deepEqual(getClientArgs(calls), ['demo-client', 's+cret ']);
});

test('requireClientAuthentication still applies to body credentials: a client_id alone passes only where authentication is not required', async (t) => {
  const { server, calls } = recordingModel();
  // password is not required to authenticate in recordingModel(); client_credentials is (the default).
  await run(server, clientRequest({ grant_type: 'password', username: 'u', password: 'p', client_id: 'client' }));
  t.deepEqual(getClientArgs(calls), ['client', undefined]);
  await t.throwsAsync(run(server, clientRequest({ grant_type: 'client_credentials', client_id: 'client' })), {
    name: 'invalid_client',
    message: 'Invalid client: cannot retrieve client credentials',
  });
});

test('RFC 6749 §4.1.3 — the code grant reads redirect_uri from the query when the body has none, which is why the kit hands it no query', async (t) => {
  const { server } = recordingModel();
  const request = new OAuth2Server.Request({
    method: 'POST',
    headers: formHeaders,
    query: { redirect_uri: 'https://app.example/cb' },
    body: { client_id: 'client', grant_type: 'authorization_code', code: 'c' },
  });
  await t.notThrowsAsync(run(server, request));
});

test('RFC 6749 §5.2 — the code grant answers a different or absent redirect_uri with invalid_request, by the messages the kit restates', async (t) => {
  const exchange = (extra: Record<string, string>) =>
    run(recordingModel().server, tokenRequest({ grant_type: 'authorization_code', code: 'c', ...extra }));
  await t.throwsAsync(exchange({ redirect_uri: 'https://app.example/other' }), { name: 'invalid_request', message: LIBRARY_REDIRECT_URI_MISMATCH });
  await t.throwsAsync(exchange({ redirect_uri: 'not a uri' }), { name: 'invalid_request', message: LIBRARY_REDIRECT_URI_NOT_A_URI });
  await t.throwsAsync(exchange({}), { name: 'invalid_request', message: LIBRARY_REDIRECT_URI_NOT_A_URI });
});
