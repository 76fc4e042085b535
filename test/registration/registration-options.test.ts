/**
 * The `dynamicRegistration` option is checked when the provider is built: a wrong value fails
 * then, naming the field, never at the first registration.
 */
import test from 'ava';
import { createClientRegistrationEndpoint, OAuthProvider, ValidationError, type DynamicRegistrationOptions } from '../../src/core/index.js';
import { CLIENT_REGISTRATION_METHODS } from '../../src/core/storage/client-registration-port.js';
import { MemoryStorage } from '../../src/testing/index.js';

const build = (dynamicRegistration: unknown) => () => new OAuthProvider(new MemoryStorage(), { dynamicRegistration: dynamicRegistration as DynamicRegistrationOptions });

test('a policy that is none of the built-ins nor a function is refused, naming dynamicRegistration.policy', (t) => {
  for (const policy of [undefined, 'open', 42]) {
    const error = t.throws(build({ policy }), { instanceOf: ValidationError });
    t.is(error?.field, 'dynamicRegistration.policy');
  }
});

test("RFC 7591 §3 — the 'initial-access-token' policy needs an initial access token of at least 32 characters", (t) => {
  t.is(t.throws(build({ policy: 'initial-access-token' }), { instanceOf: ValidationError })?.field, 'dynamicRegistration.initialAccessToken');
  t.is(t.throws(build({ policy: 'initial-access-token', initialAccessToken: 'short' }), { instanceOf: ValidationError })?.field, 'dynamicRegistration.initialAccessToken');
  t.is(
    t.throws(build({ policy: 'public-clients', initialAccessToken: ['x'.repeat(32), 'with space '.repeat(4)] }), { instanceOf: ValidationError })?.field,
    'dynamicRegistration.initialAccessToken[1]',
  );
  t.notThrows(build({ policy: 'initial-access-token', initialAccessToken: 'x'.repeat(32) }));
});

test('the throttle and the scopes are checked', (t) => {
  t.is(t.throws(build({ policy: 'public-clients', throttle: { maxRegistrations: 0, windowSeconds: 60 } }), { instanceOf: ValidationError })?.field, 'dynamicRegistration.throttle.maxRegistrations');
  t.is(t.throws(build({ policy: 'public-clients', throttle: 'fast' }), { instanceOf: ValidationError })?.field, 'dynamicRegistration.throttle');
  t.is(t.throws(build({ policy: 'public-clients', scopes: ['read', 'not a scope'] }), { instanceOf: ValidationError })?.field, 'dynamicRegistration.scopes[1]');
});

test('a storage without the client-registration port cannot offer registration: the provider fails when built, saying why', (t) => {
  const storage = new MemoryStorage();
  const hidden = new Set<PropertyKey>(CLIENT_REGISTRATION_METHODS);
  const withoutPort = new Proxy(storage, { get: (target, key) => (hidden.has(key) ? undefined : Reflect.get(target, key, target)), has: (target, key) => !hidden.has(key) && key in target });
  t.notThrows(() => new OAuthProvider(withoutPort), 'without dynamicRegistration it is just another storage');
  t.throws(() => new OAuthProvider(withoutPort, { dynamicRegistration: { policy: 'public-clients' } }), {
    instanceOf: TypeError,
    message: /dynamicRegistration needs a storage with the client-registration port \(OAuthClientRegistrationStorage/,
  });
});

test('the registration endpoint cannot be built on a provider without dynamicRegistration', (t) => {
  t.throws(() => createClientRegistrationEndpoint({ provider: new OAuthProvider(new MemoryStorage()) }), {
    instanceOf: TypeError,
    message: /build it with the dynamicRegistration option/,
  });
});
