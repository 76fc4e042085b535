import test from 'ava';
import { OAuthProvider, ValidationError } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

test('lifetimes outside their bounds are refused at construction', (t) => {
  for (const options of [
    { accessTokenLifetime: 0 },
    { accessTokenLifetime: 86_401 },
    { refreshTokenLifetime: 1.5 },
    { authorizationCodeLifetime: 601 },
  ]) {
    t.throws(() => new OAuthProvider(new MemoryStorage(), options), { instanceOf: ValidationError }, JSON.stringify(options));
  }
});

test('an unusable scrypt cost is refused at construction', (t) => {
  t.throws(() => new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 1000, r: 8, p: 1 } }), { instanceOf: ValidationError });
  t.throws(() => new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 2 ** 21, r: 8, p: 1 } }), { instanceOf: ValidationError });
});

test('the provider clock stamps what the management API stores', async (t) => {
  const fixed = new Date('2030-01-02T03:04:05.000Z');
  const provider = new OAuthProvider(new MemoryStorage(), { now: () => fixed });
  const { client } = await provider.clients.create({ name: 'c', grants: ['client_credentials'] });
  t.is(client.createdAt.toISOString(), fixed.toISOString());
});
