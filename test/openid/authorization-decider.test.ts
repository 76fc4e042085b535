/**
 * A custom decision on a page with OpenID Connect on (OIDC Core §3.1.2.3): it is told the
 * browser's usable session, and may approve through it.
 */
import test from 'ava';
import type { SignedInSession } from '../../src/core/index.js';
import { codeOf, CookieJar, open, signInAndApprove, startOpenIdPageServer, submit, type OpenIdPageServer } from './support/openid-page-server.js';

const seen: Array<SignedInSession | null> = [];
let server: OpenIdPageServer;
test.before(async () => {
  server = await startOpenIdPageServer({
    page: (provider) => ({
      async decide({ form, session }) {
        seen.push(session);
        if (form['decision'] === 'approve' && session !== null) return { outcome: 'approve', user: session.user, authentication: 'session' };
        const user = await provider.users.login(String(form['username'] ?? ''), String(form['password'] ?? ''));
        return user ? { outcome: 'approve', user, authentication: { amr: ['pwd', 'otp'], acr: 'urn:example:mfa' } } : { outcome: 'retry', message: 'no' };
      },
    }),
  });
});
test.after.always(async () => {
  await server?.close();
});

test.serial('OIDC Core §3.1.2.3 — a custom decision that signs a user in begins a session with the amr it names', async (t) => {
  const jar = new CookieJar();
  const answer = await signInAndApprove(server, jar, server.alice);
  t.is(seen.at(-1), null, 'no session yet');
  t.is((await codeOf(server, answer.redirect?.get('code')))?.amr, 'pwd otp');
});

test.serial('OIDC Core §3.1.2.3 — a custom decision is told the browser’s session and may approve through it', async (t) => {
  const jar = new CookieJar();
  await signInAndApprove(server, jar, server.bob);
  const page = await open(jar, server.authorizeUrl({ scope: 'openid write' }));
  const answer = await submit(server, jar, page, { decision: 'approve' });
  t.is(seen.at(-1)?.user.id, server.bob.id);
  const code = await codeOf(server, answer.redirect?.get('code'));
  t.is(code?.user_id, server.bob.id);
  t.is(code?.amr, 'pwd otp', 'the session’s authentication');
});

test.serial('OIDC Core §3.1.2.1 — with prompt=login the custom decision is told no session', async (t) => {
  const jar = new CookieJar();
  await signInAndApprove(server, jar, server.alice);
  const page = await open(jar, server.authorizeUrl({ prompt: 'login' }));
  await submit(server, jar, page, { decision: 'approve', username: server.alice.username, password: server.alice.password });
  t.is(seen.at(-1), null);
});
