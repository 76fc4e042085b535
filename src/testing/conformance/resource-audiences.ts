import { errorOf, pkcePair, type Harness, type TestClient, type TestUser, type TokenBody } from './harness.js';
import type { DefineConformanceTest } from './define.js';

const CALENDAR = 'https://calendar.example/';
const CONTACTS = 'https://contacts.example/api';
const FILES = 'urn:example:files';

/** The introspected `aud` of a token its own (confidential) client holds; undefined when absent. */
async function audienceOf(h: Harness, client: TestClient, token: string): Promise<unknown> {
  const body = (await h.introspect(client, token)).body as { active: boolean; aud?: unknown };
  if (!body.active) throw new Error('the token is not active');
  return Object.hasOwn(body, 'aud') ? body.aud : undefined;
}

/** A code for `user`, asked for `resources`, and its PKCE verifier. */
async function codeFor(h: Harness, client: TestClient, user: TestUser, parameters: Record<string, string | string[]>) {
  const pair = pkcePair();
  const { code } = await h.authorize(client, user, { code_challenge: pair.challenge, code_challenge_method: 'S256', ...parameters });
  return { code, verifier: pair.verifier };
}

/** Tokens from a code asked for `resource`, exchanged with `exchange` (e.g. a narrower `resource`). */
async function exchanged(
  h: Harness,
  client: TestClient,
  user: TestUser,
  parameters: Record<string, string | string[]>,
  exchange: Record<string, unknown> = {},
) {
  const { code, verifier } = await codeFor(h, client, user, parameters);
  return h.token({ grant_type: 'authorization_code', code, code_verifier: verifier, ...exchange }, client);
}

/** A refresh token granted for `resources` through the password grant. */
async function refreshTokenFor(h: Harness, client: TestClient, resources: string[], scope?: string): Promise<TokenBody> {
  const user = await h.createUser();
  const grant = { grant_type: 'password', username: user.username, password: user.password, resource: resources };
  return h.issue({ ...grant, ...(scope ? { scope } : {}) }, client);
}

/**
 * What the resources of a request (RFC 8707) make of the tokens issued: their audience, from the
 * authorization request to the code, the token and every refresh; their scope; their lifetime; and
 * how introspection reports the audience (RFC 7662 §2.2).
 */
export function resourceAudiences(define: DefineConformanceTest): void {
  const requiring = (title: string, run: Parameters<DefineConformanceTest>[1]) => define.requiring('storesResources', title, run);

  requiring('RFC 8707 §2.1 — the authorization request names its resources for consent, by their registered names', async (t, h) => {
    await h.defineResource({ id: CALENDAR, name: 'Calendar' });
    await h.defineResource({ id: CONTACTS, name: 'Contacts' });
    const client = await h.registerClient();
    const check = await h.authorization.validate({
      response_type: 'code',
      client_id: client.id,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      resource: [CONTACTS, CALENDAR, CONTACTS],
    });
    t.true(check.ok);
    if (check.ok) t.deepEqual(check.request.resources, [{ id: CONTACTS, name: 'Contacts' }, { id: CALENDAR, name: 'Calendar' }]);
  });

  requiring('RFC 8707 §2.1 — a code is bound to the resources of its authorization request, and its token is for them all', async (t, h) => {
    await h.defineResource({ id: CALENDAR });
    await h.defineResource({ id: CONTACTS });
    const client = await h.registerClient();
    const response = await exchanged(h, client, await h.createUser(), { resource: [CALENDAR, CONTACTS] });
    t.is(response.status, 200);
    t.deepEqual(await audienceOf(h, client, (response.body as TokenBody).access_token), [CALENDAR, CONTACTS]);
  });

  requiring('RFC 8707 §2.2 — a code exchange naming some of the code’s resources gets a token for those only', async (t, h) => {
    await h.defineResource({ id: CALENDAR });
    await h.defineResource({ id: CONTACTS });
    const client = await h.registerClient();
    const response = await exchanged(h, client, await h.createUser(), { resource: [CALENDAR, CONTACTS] }, { resource: CONTACTS });
    t.is(response.status, 200);
    t.is(await audienceOf(h, client, (response.body as TokenBody).access_token), CONTACTS);
  });

  requiring('RFC 8707 §2.2 — a code exchange naming a resource the code was not granted is refused 400 invalid_target', async (t, h) => {
    await h.defineResource({ id: CALENDAR });
    await h.defineResource({ id: CONTACTS });
    const client = await h.registerClient();
    const user = await h.createUser();
    for (const resource of [CONTACTS, [CALENDAR, CONTACTS]]) {
      const response = await exchanged(h, client, user, { resource: CALENDAR }, { resource });
      t.is(response.status, 400);
      t.is(errorOf(response), 'invalid_target');
    }
    const unbound = await exchanged(h, client, user, {}, { resource: CALENDAR });
    t.is(errorOf(unbound), 'invalid_target', 'a code asked for no resource grants none');
  });

  requiring('RFC 8707 §2.2 — a code exchange narrowed to some resources keeps only the scope they accept', async (t, h) => {
    await h.defineResource({ id: CALENDAR, scopes: ['calendar'] });
    await h.defineResource({ id: CONTACTS, scopes: ['contacts'] });
    const client = await h.registerClient({ scopes: ['calendar', 'contacts'] });
    const response = await exchanged(h, client, await h.createUser(), { resource: [CALENDAR, CONTACTS], scope: 'calendar contacts' }, { resource: CALENDAR });
    t.is(response.status, 200);
    t.is((response.body as TokenBody).scope, 'calendar');
  });

  requiring('RFC 8707 §2.2 — client_credentials and password tokens are for the resources the request names', async (t, h) => {
    await h.defineResource({ id: CALENDAR });
    await h.defineResource({ id: FILES });
    const client = await h.registerClient();
    const user = await h.createUser();
    const machine = await h.issue({ grant_type: 'client_credentials', resource: FILES }, client);
    t.is(await audienceOf(h, client, machine.access_token), FILES);
    const person = await h.issue({ grant_type: 'password', username: user.username, password: user.password, resource: [FILES, CALENDAR] }, client);
    t.deepEqual(await audienceOf(h, client, person.access_token), [FILES, CALENDAR]);
  });

  requiring('RFC 8707 §2.2 — a refresh naming some of the grant’s resources narrows the new access token to them', async (t, h) => {
    await h.defineResource({ id: CALENDAR });
    await h.defineResource({ id: CONTACTS });
    const client = await h.registerClient();
    const granted = await refreshTokenFor(h, client, [CALENDAR, CONTACTS]);
    const response = await h.token({ grant_type: 'refresh_token', refresh_token: granted.refresh_token, resource: CALENDAR }, client);
    t.is(response.status, 200);
    t.is(await audienceOf(h, client, (response.body as TokenBody).access_token), CALENDAR);
  });

  requiring('RFC 8707 §2.2 — a refresh naming a resource the grant lacks is refused 400 invalid_target, and the refresh token still works', async (t, h) => {
    await h.defineResource({ id: CALENDAR });
    await h.defineResource({ id: CONTACTS });
    const client = await h.registerClient();
    const granted = await refreshTokenFor(h, client, [CALENDAR]);
    const widened = await h.token({ grant_type: 'refresh_token', refresh_token: granted.refresh_token, resource: [CALENDAR, CONTACTS] }, client);
    t.is(widened.status, 400);
    t.is(errorOf(widened), 'invalid_target');
    const kept = await h.refresh(client, granted.refresh_token!);
    t.is(kept.status, 200);
    t.is(await audienceOf(h, client, (kept.body as TokenBody).access_token), CALENDAR);
  });

  requiring('RFC 8707 §2.2 — a narrowing refresh sticks: the rotated refresh token is for the narrowed resources only', async (t, h) => {
    await h.defineResource({ id: CALENDAR });
    await h.defineResource({ id: CONTACTS });
    const client = await h.registerClient();
    const granted = await refreshTokenFor(h, client, [CALENDAR, CONTACTS]);
    const narrowed = await h.issue({ grant_type: 'refresh_token', refresh_token: granted.refresh_token, resource: CONTACTS }, client);
    const next = await h.issue({ grant_type: 'refresh_token', refresh_token: narrowed.refresh_token }, client);
    t.is(await audienceOf(h, client, next.access_token), CONTACTS);
    const widened = await h.token({ grant_type: 'refresh_token', refresh_token: next.refresh_token, resource: CALENDAR }, client);
    t.is(errorOf(widened), 'invalid_target');
  });

  requiring('RFC 8707 §2 — a scope outside those the requested resources declare is refused invalid_scope at both endpoints', async (t, h) => {
    await h.defineResource({ id: CALENDAR, scopes: ['calendar'] });
    const client = await h.registerClient({ scopes: ['calendar', 'contacts'] });
    const token = await h.token({ grant_type: 'client_credentials', resource: CALENDAR, scope: 'calendar contacts' }, client);
    t.is(token.status, 400);
    t.is(errorOf(token), 'invalid_scope');
    const check = await h.authorization.validate({
      response_type: 'code',
      client_id: client.id,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      resource: CALENDAR,
      scope: 'contacts',
    });
    t.false(check.ok);
    if (!check.ok) t.is(check.error, 'invalid_scope');
    t.is((await h.issue({ grant_type: 'client_credentials', resource: CALENDAR, scope: 'calendar' }, client)).scope, 'calendar');
  });

  requiring('RFC 8707 §2 — a request without scope gets those of the client’s default scopes its resources declare', async (t, h) => {
    await h.defineResource({ id: CALENDAR, scopes: ['calendar', 'calendar.admin'] });
    await h.defineResource({ id: FILES });
    const client = await h.registerClient({ scopes: ['calendar', 'contacts'], defaultScopes: ['calendar', 'contacts'] });
    t.is((await h.issue({ grant_type: 'client_credentials', resource: CALENDAR }, client)).scope, 'calendar');
    const { code, verifier } = await codeFor(h, client, await h.createUser(), { resource: CALENDAR });
    t.is((await h.issue({ grant_type: 'authorization_code', code, code_verifier: verifier }, client)).scope, 'calendar');
    t.is((await h.issue({ grant_type: 'client_credentials', resource: FILES }, client)).scope, 'calendar contacts', 'a resource declaring no scope bounds none');
  });

  requiring('RFC 8707 §2 — a request without scope is refused invalid_scope when none of the client’s default scopes is its resources’', async (t, h) => {
    await h.defineResource({ id: CALENDAR, scopes: ['calendar'] });
    const client = await h.registerClient({ scopes: ['calendar', 'contacts'], defaultScopes: ['contacts'] });
    const response = await h.token({ grant_type: 'client_credentials', resource: CALENDAR }, client);
    t.is(response.status, 400);
    t.is(errorOf(response), 'invalid_scope');
  });

  requiring('RFC 8707 §2 — an access token lives the shortest of the client’s lifetime and its resources’', async (t, h) => {
    await h.defineResource({ id: CALENDAR, accessTokenLifetime: 600 });
    await h.defineResource({ id: CONTACTS, accessTokenLifetime: 300 });
    await h.defineResource({ id: FILES });
    const client = await h.registerClient({ accessTokenLifetime: 900 });
    const both = await h.issue({ grant_type: 'client_credentials', resource: [CALENDAR, CONTACTS] }, client);
    t.is(both.expires_in, 300);
    const introspected = (await h.introspect(client, both.access_token)).body as { exp: number; iat: number };
    t.is(introspected.exp - introspected.iat, 300);
    t.is((await h.issue({ grant_type: 'client_credentials', resource: FILES }, client)).expires_in, 900);
    t.is((await h.issue({ grant_type: 'client_credentials', resource: [FILES, CALENDAR] }, client)).expires_in, 600);
  });

  requiring('RFC 7662 §2.2 — introspection gives aud as a string for one resource, an array for several, and none for a token asked for none', async (t, h) => {
    await h.defineResource({ id: CALENDAR });
    await h.defineResource({ id: CONTACTS });
    const client = await h.registerClient();
    const one = await h.issue({ grant_type: 'client_credentials', resource: [CALENDAR, CALENDAR] }, client);
    t.is(await audienceOf(h, client, one.access_token), CALENDAR);
    const two = await h.issue({ grant_type: 'client_credentials', resource: [CONTACTS, CALENDAR] }, client);
    t.deepEqual(await audienceOf(h, client, two.access_token), [CONTACTS, CALENDAR]);
    const none = await h.clientCredentials(client);
    t.is(await audienceOf(h, client, none.access_token), undefined);
  });
}
