/**
 * The consent form's CSRF token (core, framework-free): an HMAC binding one browser, one
 * authorization request and one moment under the server's secret.
 */
import test from 'ava';
import { createAuthorizationFormTokens, type AuthorizationRequestParameters } from '../../src/core/index.js';

const SECRET = 'a test secret that is comfortably over 32 bytes';

function tokensAt(clock: { now: Date }, secret: string | Uint8Array = SECRET) {
  return createAuthorizationFormTokens({ secret, now: () => clock.now });
}

const request: AuthorizationRequestParameters = {
  response_type: 'code',
  client_id: 'spa',
  redirect_uri: 'https://app.example/cb',
  scope: 'read',
  state: 's1',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
};

test('a token verifies for the browser binding and request it was issued for', (t) => {
  const tokens = tokensAt({ now: new Date() });
  const binding = tokens.newBinding();
  t.true(tokens.verify(binding, request, tokens.issue(binding, request)));
});

test('a token does not verify for another browser binding', (t) => {
  const tokens = tokensAt({ now: new Date() });
  const token = tokens.issue(tokens.newBinding(), request);
  t.false(tokens.verify(tokens.newBinding(), request, token));
});

test('a token does not verify when any request parameter differs', (t) => {
  const tokens = tokensAt({ now: new Date() });
  const binding = tokens.newBinding();
  const token = tokens.issue(binding, request);
  for (const name of Object.keys(request) as Array<keyof AuthorizationRequestParameters>) {
    t.false(tokens.verify(binding, { ...request, [name]: `${request[name]}x` }, token), `${name} changed`);
    const without = { ...request };
    delete without[name];
    t.false(tokens.verify(binding, without, token), `${name} removed`);
  }
});

test('a parameter moved into another one does not verify (no ambiguity between fields)', (t) => {
  const tokens = tokensAt({ now: new Date() });
  const binding = tokens.newBinding();
  const token = tokens.issue(binding, { ...request, scope: 'read', state: 'x' });
  t.false(tokens.verify(binding, { ...request, scope: 'read x', state: '' }, token));
});

test('a token does not verify under another secret', (t) => {
  const clock = { now: new Date() };
  const binding = tokensAt(clock).newBinding();
  const token = tokensAt(clock).issue(binding, request);
  t.false(tokensAt(clock, 'another secret, also longer than 32 bytes!').verify(binding, request, token));
});

test('a token verifies until its lifetime is over, and not after', (t) => {
  const clock = { now: new Date('2026-01-01T00:00:00Z') };
  const tokens = createAuthorizationFormTokens({ secret: SECRET, lifetime: 300, now: () => clock.now });
  const binding = tokens.newBinding();
  const token = tokens.issue(binding, request);
  clock.now = new Date('2026-01-01T00:05:00Z');
  t.true(tokens.verify(binding, request, token));
  clock.now = new Date('2026-01-01T00:05:01Z');
  t.false(tokens.verify(binding, request, token));
});

test('a token from the future (beyond a minute of clock skew) does not verify', (t) => {
  const clock = { now: new Date('2026-01-01T00:10:00Z') };
  const tokens = tokensAt(clock);
  const binding = tokens.newBinding();
  const token = tokens.issue(binding, request);
  clock.now = new Date('2026-01-01T00:08:59Z');
  t.false(tokens.verify(binding, request, token));
});

test('malformed tokens and bindings are refused, never thrown on', (t) => {
  const tokens = tokensAt({ now: new Date() });
  const binding = tokens.newBinding();
  const token = tokens.issue(binding, request);
  for (const bad of [undefined, null, 42, {}, [], '', 'v1', 'v1..', `${token}x`, token.replace('v1.', 'v2.'), 'v1.1.' + 'A'.repeat(43)]) {
    t.false(tokens.verify(binding, request, bad), String(bad));
  }
  for (const badBinding of [undefined, null, '', 'short', `${binding}x`, 42]) {
    t.false(tokens.verify(badBinding, request, token), String(badBinding));
  }
});

test('bindings are 256-bit random values, different every time', (t) => {
  const tokens = tokensAt({ now: new Date() });
  const bindings = new Set(Array.from({ length: 50 }, () => tokens.newBinding()));
  t.is(bindings.size, 50);
  for (const binding of bindings) t.is(Buffer.from(binding, 'base64url').length, 32);
});

test('a secret shorter than 32 bytes is refused', (t) => {
  t.throws(() => createAuthorizationFormTokens({ secret: 'short secret' }), { instanceOf: TypeError });
  t.throws(() => createAuthorizationFormTokens({ secret: new Uint8Array(31) }), { instanceOf: TypeError });
  t.notThrows(() => createAuthorizationFormTokens({ secret: new Uint8Array(32) }));
});

test('a form lifetime outside 60–3600 seconds is refused', (t) => {
  t.throws(() => createAuthorizationFormTokens({ secret: SECRET, lifetime: 59 }), { instanceOf: TypeError });
  t.throws(() => createAuthorizationFormTokens({ secret: SECRET, lifetime: 3601 }), { instanceOf: TypeError });
  t.throws(() => createAuthorizationFormTokens({ secret: SECRET, lifetime: 1.5 }), { instanceOf: TypeError });
});
