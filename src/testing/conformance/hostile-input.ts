import type { DefineConformanceTest } from './define.js';

const HOSTILE: unknown[] = [
  "' OR '1'='1",
  "x'); DROP TABLE oauth_tokens; --",
  '%',
  '_',
  '\\',
  'a\u0000b',
  '\ud800',
  'x'.repeat(100_000),
  '',
  42,
  {},
  ['a'],
  null,
];

/** Bad input ends as null or a clear error, never a crash or a storage error. */
export function hostileInput(define: DefineConformanceTest): void {
  define('hostile values given to the model lookups end as null', async (t, h) => {
    const client = await h.registerClient();
    for (const value of HOSTILE) {
      const label = JSON.stringify(value)?.slice(0, 40);
      t.falsy(await h.model.getClient(value as string, client.secret!), `getClient ${label}`);
      // null is excluded here: by convention it asks for a lookup, not an authentication (ADR 0004).
      if (value !== null) t.falsy(await h.model.getClient(client.id, value as string), `getClient secret ${label}`);
      t.falsy(await h.model.getAccessToken(value as string), `getAccessToken ${label}`);
      t.falsy(await h.model.getRefreshToken(value as string), `getRefreshToken ${label}`);
      t.falsy(await h.model.getAuthorizationCode(value as string), `getAuthorizationCode ${label}`);
      t.falsy(await h.model.getUser(value as string, value as string, {} as never), `getUser ${label}`);
    }
  });

  define('hostile values given to the management API and user store end as null or false', async (t, h) => {
    for (const value of HOSTILE) {
      const label = JSON.stringify(value)?.slice(0, 40);
      t.is(await h.provider.clients.get(value as string), null, `clients.get ${label}`);
      t.false(await h.provider.clients.delete(value as string), `clients.delete ${label}`);
      t.is(await h.provider.users.get(value as string), null, `users.get ${label}`);
      t.is(await h.provider.users.verifyPassword(value as string, 'pw'), null, `verifyPassword ${label}`);
      t.is(await h.provider.invalidateClientTokensInteractor()(value as string), 0, `invalidateClient ${label}`);
      t.is(await h.provider.invalidateUserTokensInteractor()(value as string), 0, `invalidateUser ${label}`);
    }
  });

  define('RFC 6750 §3.1 — hostile bearer tokens are refused with 400 or 401, never 5xx', async (t, h) => {
    for (const value of HOSTILE.filter((v): v is string => typeof v === 'string')) {
      const outcome = await h.guard.check({ method: 'GET', headers: { authorization: `Bearer ${value}` }, query: {}, body: {} });
      t.false(outcome.ok);
      if (!outcome.ok) t.true([400, 401].includes(outcome.response.status), `status ${outcome.response.status}`);
    }
  });
}
