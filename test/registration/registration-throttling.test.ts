/**
 * Registration is an abuse surface (RFC 7591 §5: many clients per source): registrations are
 * counted per source address, and a source past its limit is answered 429 with `Retry-After` —
 * nobody else is. The attacker sends from 127.0.0.2, the victim from 127.0.0.1.
 */
import test from 'ava';
import { ATTACKER, VICTIM } from '../throttling/support/from-address.js';
import { INITIAL_ACCESS_TOKEN, publicClientMetadata, register, registrationServer } from './support/registration-server.js';

test('RFC 6585 §4 — a source past its registrations is answered 429 with Retry-After; another source still registers', async (t) => {
  const server = await registrationServer(t, { policy: 'public-clients', throttle: { maxRegistrations: 3, windowSeconds: 600 } });
  for (let i = 0; i < 3; i += 1) t.is((await register(server, publicClientMetadata(server), { from: ATTACKER })).status, 201);
  const refused = await register(server, publicClientMetadata(server, { client_name: 'One too many' }), { from: ATTACKER });
  t.is(refused.status, 429);
  t.is(refused.json.error, 'invalid_request');
  const retryAfter = Number(refused.headers.get('retry-after'));
  t.true(retryAfter >= 1 && retryAfter <= 600, String(retryAfter));
  t.false((await server.provider.clients.list()).some((client) => client.name === 'One too many'));
  t.is((await register(server, publicClientMetadata(server), { from: VICTIM })).status, 201, 'the victim is not throttled');
});

test('RFC 7591 §3 — refused registrations count too: guessing the initial access token from one source is stopped at the limit', async (t) => {
  const server = await registrationServer(t, {
    policy: 'initial-access-token',
    initialAccessToken: INITIAL_ACCESS_TOKEN,
    throttle: { maxRegistrations: 2, windowSeconds: 600 },
  });
  const guess = (token: string, from: string) => register(server, publicClientMetadata(server), { from, headers: { authorization: `Bearer ${token}` } });
  t.is((await guess('wrong-guess-1', ATTACKER)).status, 401);
  t.is((await guess('wrong-guess-2', ATTACKER)).status, 401);
  t.is((await guess(INITIAL_ACCESS_TOKEN, ATTACKER)).status, 429, 'refused before the token is even compared');
  t.is((await guess(INITIAL_ACCESS_TOKEN, VICTIM)).status, 201);
});

test('registrations are counted in the storage, where every server process on the database sees them', async (t) => {
  const server = await registrationServer(t, { policy: 'public-clients', throttle: { maxRegistrations: 1, windowSeconds: 600 } });
  t.is((await register(server, publicClientMetadata(server), { from: ATTACKER })).status, 201);
  // The limiter counts in real time: once its window has passed, the purge finds its row in
  // oauth_attempt_counters, which every process on the database reads.
  const purged = await server.provider.purgeExpired({ now: new Date(Date.now() + 601_000) });
  t.is(purged.attemptCounters, 1, 'the registration counter was a row of the attempt-counter table');
});
