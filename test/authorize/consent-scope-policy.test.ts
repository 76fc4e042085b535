/**
 * The consent page shows the scopes the approval will grant: both come from the page's configured
 * scope policy (`validateScope`), never the page from the default one (RFC 6749 §3.3). Each policy
 * below is a router of its own (by prefix) on one shared provider.
 */
import test from 'ava';
import type { ValidateScope } from '../../src/core/index.js';
import { startAuthorizationServer, type AuthorizationServer } from './support/authorization-server.js';
import { exchangeSpaCode, me, openPage, pkcePair, redirectOf, spaRequest, submitPage } from './support/consent-form.js';

/** Never grants `write`, whatever is asked. */
const withoutWrite: ValidateScope = async (_user, _client, requested) => (requested ?? ['read']).filter((scope) => scope !== 'write');
/** Shows `read` before anyone signed in, then grants the signed-in user `read write`. */
const moreOnceSignedIn: ValidateScope = async (user) => (user === null ? ['read'] : ['read', 'write']);
/** Shows what was asked before anyone signed in, then grants the signed-in user `read` only. */
const lessOnceSignedIn: ValidateScope = async (user, _client, requested) => (user === null ? (requested ?? []) : ['read']);

let server: AuthorizationServer;

test.before(async () => {
  server = await startAuthorizationServer({
    extraPages: {
      '/narrowing': () => ({ validateScope: withoutWrite }),
      '/more': () => ({ validateScope: moreOnceSignedIn }),
      '/less': () => ({ validateScope: lessOnceSignedIn }),
    },
  });
});

test.after.always(() => server?.close());

// The tests run serially: each signs in, and sign-ins in flight from one address are bounded.
const READ = /Read your profile/;
const WRITE = /Change your notes/;

/** Opens the page under `prefix` for `read write`, and approves as the user. */
async function approveUnder(prefix: string) {
  const pkce = pkcePair();
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkce.challenge, { scope: 'read write' }), prefix));
  const response = await submitPage(server, page, { username: server.user.username, password: server.user.password, decision: 'approve' }, { prefix });
  return { page, query: redirectOf(response).query, verifier: pkce.verifier };
}

test.serial('RFC 6749 §3.3 — with a configured policy that narrows the request, the page lists the narrowed scopes and the token carries the same', async (t) => {
  const { page, query, verifier } = await approveUnder('/narrowing');
  t.is(page.status, 200);
  t.regex(page.html, READ);
  t.notRegex(page.html, WRITE, 'the page does not offer what approval would not grant');
  const code = query.get('code');
  t.truthy(code, query.toString());
  const exchanged = await exchangeSpaCode(server, code!, verifier);
  t.is(exchanged.status, 200);
  t.is(exchanged.json.scope, 'read');
  t.deepEqual((await me(server, exchanged.json.access_token)).json.scope, ['read']);
});

test.serial('RFC 6749 §3.3 — a policy granting the signed-in user more than the page showed is refused invalid_scope, and no code is issued', async (t) => {
  const codesBefore = await server.codeCount();
  const { page, query } = await approveUnder('/more');
  t.regex(page.html, READ);
  t.notRegex(page.html, WRITE);
  t.is(query.get('error'), 'invalid_scope');
  t.is(query.get('code'), null);
  t.is(await server.codeCount(), codesBefore);
});

test.serial('RFC 6749 §3.3 — a policy granting the signed-in user less than the page showed grants that less', async (t) => {
  const { page, query, verifier } = await approveUnder('/less');
  t.regex(page.html, READ);
  t.regex(page.html, WRITE);
  const exchanged = await exchangeSpaCode(server, query.get('code')!, verifier);
  t.is(exchanged.json.scope, 'read');
});
