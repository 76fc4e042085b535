/**
 * The authorization-code flow in a real browser (headless Chromium): the user opens the authorize
 * URL, signs in and decides on the built-in page; the browser lands on the client's redirect URI.
 * The screenshots saved in `test-results/` are for reviewing the page's look.
 */
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ISSUER, startAuthorizationServer, type AuthorizationServer } from './support/authorization-server.js';
import { browserUnavailableReason, launchChromium, resultPath } from './support/browser.js';
import { exchangeSpaCode, me, pkcePair, spaRequest } from './support/consent-form.js';

const unavailable = browserUnavailableReason();
if (unavailable !== null) console.warn(`[authorize/browser-flow] browser tests skipped: ${unavailable}`);
/** `test`, or `test.skip` when there is no browser (the hooks below then do nothing). */
const browserTest = unavailable === null ? test : test.skip;

let server: AuthorizationServer;
let browser: Browser;

test.before(async () => {
  if (unavailable !== null) return;
  server = await startAuthorizationServer();
  browser = await launchChromium();
});

test.after.always(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser profile (no cookies) on its own page. */
async function freshPage(t: { teardown(fn: () => Promise<void>): void }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
  t.teardown(() => context.close());
  return context.newPage();
}

browserTest('RFC 6749 §4.1 — a user signs in and approves in the browser; the code it lands with buys a token that calls /api/me', async (t) => {
  const page = await freshPage(t);
  const { verifier, challenge } = pkcePair();
  await page.goto(server.authorizeUrl(spaRequest(server, challenge, { scope: 'read write', state: 'browser-state' })));
  await page.screenshot({ path: await resultPath('authorize-page.png'), fullPage: true });

  await page.getByLabel('Username').fill(server.user.username);
  await page.getByLabel('Password').fill(server.user.password);
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(server.redirectUri)),
    page.getByRole('button', { name: 'Sign in and allow' }).click(),
  ]);

  const landed = new URL(page.url());
  t.is(landed.searchParams.get('state'), 'browser-state');
  t.is(landed.searchParams.get('iss'), ISSUER);
  const code = landed.searchParams.get('code') ?? '';
  const exchange = await exchangeSpaCode(server, code, verifier);
  t.is(exchange.status, 200);
  t.is(exchange.json.scope, 'read write');
  const profile = await me(server, exchange.json.access_token);
  t.is(profile.status, 200);
  t.is(profile.json.user.id, server.user.id);
});

browserTest('RFC 6749 §4.1.2.1 — denying in the browser lands on the redirect URI with access_denied', async (t) => {
  const page = await freshPage(t);
  await page.goto(server.authorizeUrl(spaRequest(server, pkcePair().challenge, { state: 'deny-state' })));
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(server.redirectUri)),
    page.getByRole('button', { name: 'Deny' }).click(),
  ]);
  const landed = new URL(page.url());
  t.is(landed.searchParams.get('error'), 'access_denied');
  t.is(landed.searchParams.get('state'), 'deny-state');
  t.is(landed.searchParams.get('code'), null);
});

browserTest('a wrong password in the browser shows the error on the page and stays there', async (t) => {
  const page = await freshPage(t);
  await page.goto(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
  await page.getByLabel('Username').fill(server.user.username);
  await page.getByLabel('Password').fill('not the password');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign in and allow' }).click()]);

  const alert = page.getByRole('alert');
  await alert.waitFor();
  t.is((await alert.textContent())?.trim(), 'Wrong username or password.');
  t.true(page.url().startsWith(`${server.origin}/auth/authorize`));
  t.is(await page.getByLabel('Username').inputValue(), server.user.username);
  t.is(await page.getByLabel('Password').inputValue(), '');
  await page.screenshot({ path: await resultPath('authorize-page-wrong-password.png'), fullPage: true });
});

browserTest('the page is styled under its Content-Security-Policy without any violation', async (t) => {
  const page = await freshPage(t);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
  // Runs in the page; `lib` has no DOM types, so the browser global is reached through globalThis.
  const background = await page
    .getByRole('button', { name: 'Sign in and allow' })
    .evaluate((button) => (globalThis as any).getComputedStyle(button).backgroundColor as string);
  // The stylesheet's accent colour: the nonced <style> was applied.
  t.is(background, 'rgb(36, 84, 214)');
  t.deepEqual(violations, []);
});

browserTest('RFC 6749 §10.13 — another site cannot show the page in a frame', async (t) => {
  const page = await freshPage(t);
  const url = server.authorizeUrl(spaRequest(server, pkcePair().challenge));
  await page.setContent(`<iframe src="${url.replace(/&/g, '&amp;')}" width="600" height="600"></iframe>`);
  const frameElement = await page.waitForSelector('iframe');
  // Let the frame finish whatever it loads (the page or the browser's refusal).
  await page.waitForLoadState('load');
  const frame = await frameElement.contentFrame();
  const fieldsInFrame = frame === null ? 0 : await frame.locator('#username').count();
  t.is(fieldsInFrame, 0);
});
