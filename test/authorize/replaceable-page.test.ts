/**
 * Applications replace the page's template and its sign-in/consent logic through options; the
 * protections (CSRF token, CSP, re-validation) stay the page's. Each configuration below is a
 * router of its own (by prefix) on one shared provider.
 */
import test from 'ava';
import { decideWithPassword } from '../../src/core/index.js';
import { escapeHtml, type ConsentPageView } from '../../src/koa/index.js';
import { startAuthorizationServer, type AuthorizationServer } from './support/authorization-server.js';
import { openPage, pkcePair, redirectOf, spaRequest, submitPage } from './support/consent-form.js';

let server: AuthorizationServer;
const consentViews: ConsentPageView[] = [];
const loginAttempts: string[] = [];

test.before(async () => {
  server = await startAuthorizationServer({
    extraPages: {
      '/custom-consent': () => ({
        template: {
          consent(view) {
            consentViews.push(view);
            const hidden = view.hiddenFields
              .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
              .join('');
            return `<!doctype html><title>Custom</title><h1>Custom consent for ${escapeHtml(view.client.name)}</h1><form method="post">${hidden}</form>`;
          },
        },
      }),
      '/custom-error': () => ({
        template: { error: (view) => `<!doctype html><p>Oops: ${escapeHtml(view.error)} (${view.status})</p>` },
      }),
      // A stand-in for an application session: a header the test trusts approves without a password.
      '/custom-decider': (provider) => ({
        async decide({ ctx, form }) {
          const sessionUser = ctx.get('x-test-session');
          if (sessionUser !== '' && form.decision === 'approve') {
            const user = await provider.users.getUser(sessionUser);
            if (user) return { outcome: 'approve', user };
          }
          return decideWithPassword(provider.users.login, form);
        },
      }),
      '/custom-login': () => ({
        async login(username, password) {
          loginAttempts.push(username);
          return username === 'directory-user' && password === 'directory-password' ? { id: 'directory-user-id' } : null;
        },
      }),
    },
  });
});

test.after.always(() => server?.close());

test('a custom consent template renders the page from the view it is given', async (t) => {
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge), '/custom-consent'));
  t.is(page.status, 200);
  t.regex(page.html, /<h1>Custom consent for Notes App<\/h1>/);
  const view = consentViews.at(-1);
  t.deepEqual(view?.client, { id: 'spa', name: 'Notes App', host: null });
  t.deepEqual(view?.scopes, [{ name: 'read', description: 'Read your profile' }]);
  t.is(view?.returnTo, new URL(server.redirectUri).origin);
  t.is(view?.formAction, '/custom-consent/authorize');
  t.true(view?.hiddenFields.some(([name]) => name === 'csrf_token'));
});

test("a custom template's form is still protected and processed by the page", async (t) => {
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge), '/custom-consent'));
  t.regex(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  const credentials = { username: server.user.username, password: server.user.password, decision: 'approve' };
  const forged = await submitPage(server, page, credentials, { prefix: '/custom-consent', cookie: null });
  t.is(forged.status, 403);
  const approved = await submitPage(server, page, credentials, { prefix: '/custom-consent' });
  t.is(approved.status, 303);
});

test('a custom error template renders the error page', async (t) => {
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge, { client_id: 'nobody' }), '/custom-error'));
  t.is(page.status, 400);
  t.is(page.html, '<!doctype html><p>Oops: invalid_client (400)</p>');
});

test('a custom decider replaces sign-in: here a trusted session header approves without a password', async (t) => {
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge), '/custom-decider'));
  const response = await submitPage(
    server,
    page,
    { decision: 'approve' },
    { prefix: '/custom-decider', headers: { 'x-test-session': server.user.id } },
  );
  t.is(response.status, 303);
  t.truthy(redirectOf(response).query.get('code'));
});

test('a custom login interactor checks the credentials of the default decision', async (t) => {
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge), '/custom-login'));
  const response = await submitPage(
    server,
    page,
    { username: 'directory-user', password: 'directory-password', decision: 'approve' },
    { prefix: '/custom-login' },
  );
  t.is(response.status, 303);
  t.truthy(redirectOf(response).query.get('code'));
  t.deepEqual(loginAttempts, ['directory-user']);
});
