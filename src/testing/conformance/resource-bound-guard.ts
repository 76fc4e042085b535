import { createGuard } from '../../core/index.js';
import type { OAuthGuardOutcome, OAuthHttpRequest } from '../../core/index.js';
import type { Harness, TestClient } from './harness.js';
import type { DefineConformanceTest } from './define.js';

const NOTES = 'https://notes.example/mcp';
const BILLING = 'https://billing.example/api';

/** A request presenting `accessToken`. */
function bearerRequest(accessToken: string): OAuthHttpRequest {
  return { method: 'GET', headers: { authorization: `Bearer ${accessToken}` }, query: {}, body: {} };
}

/** Presents `accessToken` to a guard check that protects `resource`. */
function atResource(h: Harness, accessToken: string, resource: string): Promise<OAuthGuardOutcome> {
  return h.guard.check(bearerRequest(accessToken), { resource });
}

/** A client_credentials token of `client` asked for `resources` (none: no `resource` parameter). */
async function tokenFor(h: Harness, client: TestClient, resources: string[]): Promise<string> {
  return (await h.issue({ grant_type: 'client_credentials', ...(resources.length > 0 ? { resource: resources } : {}) }, client)).access_token;
}

/** The answer of a refused check: its status and its Bearer challenge's `error`. */
function refusal(outcome: OAuthGuardOutcome): { status: number; error: string | undefined } | 'admitted' {
  if (outcome.ok) return 'admitted';
  const challenge = String(outcome.response.headers['www-authenticate'] ?? '');
  return { status: outcome.response.status, error: /error="([^"]+)"/.exec(challenge)?.[1] };
}

/**
 * A guard that protects a resource admits only tokens issued for it, and one that protects none
 * only tokens asked for none (RFC 8707 §2): the confused deputy a shared token would make of every
 * API of one authorization server (RFC 9700 §4.10, MCP's "token passthrough"), on every storage,
 * read through its token lookups. `acceptAnyAudience` is the explicit way out.
 */
export function resourceBoundGuard(define: DefineConformanceTest): void {
  const requiring = (title: string, run: Parameters<DefineConformanceTest>[1]) => define.requiring('storesResources', title, run);

  requiring('RFC 8707 §2 — a guard for a resource admits a token issued for it, and reports the token’s audience', async (t, h) => {
    await h.defineResource({ id: NOTES });
    const token = await tokenFor(h, await h.registerClient({ grants: ['client_credentials'] }), [NOTES]);
    const outcome = await atResource(h, token, NOTES);
    t.true(outcome.ok);
    if (outcome.ok) t.deepEqual(outcome.oauth.audience, [NOTES]);
  });

  requiring('RFC 8707 §2 — a guard for a resource refuses 401 invalid_token a token issued for another resource', async (t, h) => {
    await h.defineResource({ id: NOTES });
    await h.defineResource({ id: BILLING });
    const token = await tokenFor(h, await h.registerClient({ grants: ['client_credentials'] }), [BILLING]);
    t.deepEqual(refusal(await atResource(h, token, NOTES)), { status: 401, error: 'invalid_token' });
    t.true((await atResource(h, token, BILLING)).ok, 'the token still works where it belongs');
  });

  requiring('RFC 8707 §2 — a guard for a resource refuses 401 invalid_token a token asked for no resource', async (t, h) => {
    await h.defineResource({ id: NOTES });
    const token = await tokenFor(h, await h.registerClient({ grants: ['client_credentials'] }), []);
    t.deepEqual(refusal(await atResource(h, token, NOTES)), { status: 401, error: 'invalid_token' });
  });

  requiring('RFC 8707 §2 — a token issued for two resources passes the guard of each', async (t, h) => {
    await h.defineResource({ id: NOTES });
    await h.defineResource({ id: BILLING });
    const token = await tokenFor(h, await h.registerClient({ grants: ['client_credentials'] }), [NOTES, BILLING]);
    t.true((await atResource(h, token, NOTES)).ok);
    t.true((await atResource(h, token, BILLING)).ok);
  });

  requiring('RFC 8707 §2.2 — a refresh narrowed to one resource yields a token the dropped resource’s guard refuses', async (t, h) => {
    await h.defineResource({ id: NOTES });
    await h.defineResource({ id: BILLING });
    const client = await h.registerClient({ grants: ['password', 'refresh_token'] });
    const user = await h.createUser();
    const granted = await h.issue({ grant_type: 'password', username: user.username, password: user.password, resource: [NOTES, BILLING] }, client);
    const narrowed = await h.issue({ grant_type: 'refresh_token', refresh_token: granted.refresh_token, resource: NOTES }, client);
    t.true((await atResource(h, narrowed.access_token, NOTES)).ok);
    t.deepEqual(refusal(await atResource(h, narrowed.access_token, BILLING)), { status: 401, error: 'invalid_token' });
  });

  define('RFC 8707 §2 — a guard bound to no resource admits a token asked for no resource, and reports none', async (t, h) => {
    const client = await h.registerClient({ grants: ['client_credentials'] });
    const outcome = await h.bearer(await tokenFor(h, client, []));
    t.true(outcome.ok);
    if (outcome.ok) t.deepEqual(outcome.oauth.audience, []);
  });

  requiring('RFC 8707 §2 — a guard bound to no resource refuses a token issued for a resource', async (t, h) => {
    await h.defineResource({ id: NOTES });
    const token = await tokenFor(h, await h.registerClient({ grants: ['client_credentials'] }), [NOTES]);
    const outcome = await h.bearer(token);
    t.deepEqual(refusal(outcome), { status: 401, error: 'invalid_token' });
    if (!outcome.ok) t.regex(String(outcome.response.headers['www-authenticate']), /error_description="Invalid token: access token was issued for another resource"/);
  });

  requiring('RFC 8707 §2 — a guard built with acceptAnyAudience admits a valid token whatever its audience, and reports it', async (t, h) => {
    await h.defineResource({ id: NOTES });
    const client = await h.registerClient({ grants: ['client_credentials'] });
    const anyAudience = createGuard({ provider: h.provider, acceptAnyAudience: true });
    const forNotes = await anyAudience.check(bearerRequest(await tokenFor(h, client, [NOTES])));
    t.true(forNotes.ok);
    if (forNotes.ok) t.deepEqual(forNotes.oauth.audience, [NOTES]);
    t.true((await anyAudience.check(bearerRequest(await tokenFor(h, client, [])))).ok);
    t.deepEqual(refusal(await anyAudience.check(bearerRequest('A'.repeat(43)))), { status: 401, error: 'invalid_token' }, 'an unknown token is still refused');
  });

  requiring('RFC 8707 §2 — a check’s own acceptAnyAudience takes the place of its guard’s: true admits any audience, false holds the check to the guard’s resource or to none', async (t, h) => {
    await h.defineResource({ id: NOTES });
    await h.defineResource({ id: BILLING });
    const client = await h.registerClient({ grants: ['client_credentials'] });
    const billing = bearerRequest(await tokenFor(h, client, [BILLING]));
    t.true((await h.guard.check(billing, { acceptAnyAudience: true })).ok, 'unbound guard, check accepting any audience');
    t.true((await createGuard({ provider: h.provider, resource: NOTES }).check(billing, { acceptAnyAudience: true })).ok, 'bound guard, check accepting any audience');
    const anyAudience = createGuard({ provider: h.provider, acceptAnyAudience: true });
    t.deepEqual(refusal(await anyAudience.check(billing, { acceptAnyAudience: false })), { status: 401, error: 'invalid_token' });
    t.deepEqual(refusal(await anyAudience.check(billing, { resource: NOTES })), { status: 401, error: 'invalid_token' }, 'a check naming its resource is bound to it');
  });

  requiring('RFC 8707 §2 — a guard built with resource protects every check it makes, and a check’s own resource takes its place', async (t, h) => {
    await h.defineResource({ id: NOTES });
    await h.defineResource({ id: BILLING });
    const notesGuard = createGuard({ provider: h.provider, resource: NOTES });
    const token = await tokenFor(h, await h.registerClient({ grants: ['client_credentials'] }), [BILLING]);
    const request = bearerRequest(token);
    t.deepEqual(refusal(await notesGuard.check(request)), { status: 401, error: 'invalid_token' });
    t.true((await notesGuard.check(request, { resource: BILLING })).ok);
  });
}
