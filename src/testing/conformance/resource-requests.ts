import type { OAuthHttpResponse } from '../../core/index.js';
import { pkcePair, type Harness, type TestClient } from './harness.js';
import type { DefineConformanceTest } from './define.js';

const API = 'https://api.example/';
const UNKNOWN = 'https://unknown.example/';

/** Well-formed-looking values a `resource` must not take (RFC 8707 §2). */
const MALFORMED = [
  '',
  'api.example',
  '/relative/path',
  '//api.example/no-scheme',
  'https://api.example/#fragment',
  'https://api.example/path#',
  'https://api.example/with space',
  `https://api.example/${'a'.repeat(493)}`,
];

/** An authorization request the endpoint would accept but for its `resource`. */
function authorizationRequest(client: TestClient, resource: unknown): Record<string, unknown> {
  const { challenge } = pkcePair();
  return { response_type: 'code', client_id: client.id, state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256', resource };
}

/** The error and state an authorization request is redirected with, or null when it is not redirected. */
async function redirectedError(h: Harness, parameters: Record<string, unknown>): Promise<{ error: string | null; state: string | null } | null> {
  const check = await h.authorization.validate(parameters);
  if (check.ok || check.redirectTo === null) return null;
  const query = new URL(check.redirectTo).searchParams;
  return { error: query.get('error'), state: query.get('state') };
}

/** An RFC 6749 §5.2 refusal: status, body fields and `no-store`. */
function refusalOf(response: OAuthHttpResponse): { status: number; error: unknown; described: boolean; noStore: boolean } {
  const body = response.body as { error?: unknown; error_description?: unknown } | undefined;
  return {
    status: response.status,
    error: body?.error,
    described: typeof body?.error_description === 'string' && body.error_description !== '',
    noStore: response.headers['cache-control'] === 'no-store',
  };
}

const INVALID_TARGET = { status: 400, error: 'invalid_target', described: true, noStore: true };

/**
 * The `resource` parameter (RFC 8707 §2) refused at the authorization and token endpoints:
 * malformed, unregistered, too many, or sent to a server whose storage keeps no resources.
 */
export function resourceRequests(define: DefineConformanceTest): void {
  define.requiring('storesResources', 'RFC 8707 §2.1 — an unregistered resource is redirected invalid_target, with state, by the authorization endpoint', async (t, h) => {
    await h.defineResource({ id: API });
    const client = await h.registerClient();
    t.deepEqual(await redirectedError(h, authorizationRequest(client, UNKNOWN)), { error: 'invalid_target', state: 'st-1' });
    t.deepEqual(await redirectedError(h, authorizationRequest(client, [API, UNKNOWN])), { error: 'invalid_target', state: 'st-1' });
  });

  define.requiring('storesResources', 'RFC 8707 §2.2 — an unregistered resource is refused 400 invalid_target by the token endpoint', async (t, h) => {
    await h.defineResource({ id: API });
    const client = await h.registerClient();
    const user = await h.createUser();
    for (const body of [
      { grant_type: 'client_credentials', resource: UNKNOWN },
      { grant_type: 'client_credentials', resource: [API, UNKNOWN] },
      { grant_type: 'password', username: user.username, password: user.password, resource: UNKNOWN },
    ]) {
      t.deepEqual(refusalOf(await h.token(body, client)), INVALID_TARGET, JSON.stringify(body.resource));
    }
  });

  define('RFC 8707 §2 — a resource that is no absolute URI, has a fragment or exceeds 512 characters is redirected invalid_target', async (t, h) => {
    const client = await h.registerClient();
    for (const resource of MALFORMED) {
      t.deepEqual(await redirectedError(h, authorizationRequest(client, resource)), { error: 'invalid_target', state: 'st-1' }, resource);
    }
  });

  define('RFC 8707 §2 — a resource that is no absolute URI, has a fragment or exceeds 512 characters is refused 400 invalid_target', async (t, h) => {
    const client = await h.registerClient();
    for (const resource of [...MALFORMED, [API, 'relative']]) {
      t.deepEqual(refusalOf(await h.token({ grant_type: 'client_credentials', resource }, client)), INVALID_TARGET, String(resource));
    }
  });

  define('RFC 8707 §2 — more than 16 resources in one authorization request are redirected invalid_target', async (t, h) => {
    const client = await h.registerClient();
    const seventeen = Array.from({ length: 17 }, (_, index) => `https://api${index}.example/`);
    const check = await h.authorization.validate(authorizationRequest(client, seventeen));
    t.false(check.ok);
    if (!check.ok) {
      t.is(check.error, 'invalid_target');
      t.regex(check.errorDescription, /at most 16/);
    }
  });

  define('RFC 8707 §2 — more than 16 resources in one token request are refused 400 invalid_target', async (t, h) => {
    const client = await h.registerClient();
    const seventeen = Array.from({ length: 17 }, (_, index) => `https://api${index}.example/`);
    const response = await h.token({ grant_type: 'client_credentials', resource: seventeen }, client);
    t.deepEqual(refusalOf(response), INVALID_TARGET);
    t.regex((response.body as { error_description: string }).error_description, /at most 16/);
  });

  define.requiring('storesResources', 'RFC 8707 §2 — registered resources longer together than a stored audience may be are refused 400 invalid_target, not failed in the database', async (t, h) => {
    const long = Array.from({ length: 8 }, (_, index) => `https://api${index}.example/${'p'.repeat(480)}`);
    for (const [index, id] of long.entries()) await h.defineResource({ id, name: `API ${index}` });
    const client = await h.registerClient({ grants: ['client_credentials'] });
    const response = await h.token({ grant_type: 'client_credentials', resource: long }, client);
    t.deepEqual(refusalOf(response), INVALID_TARGET);
    t.regex((response.body as { error_description: string }).error_description, /may total at most 4000 characters/);
    t.is((await h.token({ grant_type: 'client_credentials', resource: long.slice(0, 7) }, client)).status, 200, 'seven fit');
  });

  define.lacking('storesResources', 'RFC 8707 §2.1 — a storage without the resource port has every resource redirected invalid_target', async (t, h) => {
    const client = await h.registerClient();
    t.deepEqual(await redirectedError(h, authorizationRequest(client, API)), { error: 'invalid_target', state: 'st-1' });
  });

  define.lacking('storesResources', 'RFC 8707 §2.2 — a storage without the resource port has every resource refused 400 invalid_target', async (t, h) => {
    const client = await h.registerClient();
    const refused = await h.token({ grant_type: 'client_credentials', resource: API }, client);
    t.deepEqual(refusalOf(refused), INVALID_TARGET);
    t.regex((refused.body as { error_description: string }).error_description, /registers no resources/);
    t.is((await h.token({ grant_type: 'client_credentials' }, client)).status, 200, 'a request naming none is served as before');
  });
}
