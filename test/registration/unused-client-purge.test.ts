/**
 * Self-registered clients nobody uses any more are purged: token issuance records a client's last
 * use (at most once a day), and `purgeExpired({ unusedClientsAfterDays })` deletes the clients
 * of RFC 7591 issued no token for that long. The provider's clock is a test clock, moved in days.
 */
import test from 'ava';
import { ValidationError } from '../../src/core/index.js';
import { basic } from '../throttling/support/from-address.js';
import { registered, registrationServer, type RegistrationServer } from './support/registration-server.js';

const DAY = 86_400;

/** Any client may register: these tests need confidential clients, which ask for tokens directly. */
const ACCEPT_ALL = { policy: () => ({ accept: true as const }), throttle: false as const };

async function serviceClient(server: RegistrationServer, name: string): Promise<{ id: string; secret: string }> {
  const client = await registered(server, {
    client_name: name,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
  });
  return { id: String(client['client_id']), secret: String(client['client_secret']) };
}

async function tokenFor(server: RegistrationServer, client: { id: string; secret: string }): Promise<number> {
  const answer = await fetch(`${server.origin}/auth/token`, {
    method: 'POST',
    headers: { authorization: basic(client.id, client.secret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }),
  });
  return answer.status;
}

const exists = async (server: RegistrationServer, id: string) => (await server.provider.clients.get(id)) !== null;

test('purgeExpired({ unusedClientsAfterDays }) deletes the self-registered clients issued no token for that long, and keeps the others', async (t) => {
  const server = await registrationServer(t, ACCEPT_ALL);
  const [used, unused] = [await serviceClient(server, 'Used'), await serviceClient(server, 'Unused')];
  server.advanceClock(10 * DAY);
  t.is(await tokenFor(server, used), 200);
  server.advanceClock(22 * DAY); // day 32: "Unused" registered 32 days ago, "Used" last used 22 days ago
  const purged = await server.provider.purgeExpired({ unusedClientsAfterDays: 30 });
  t.is(purged.unusedClients, 1);
  t.false(await exists(server, unused.id));
  t.true(await exists(server, used.id));
  t.true(await exists(server, server.spa.id), "an operator's client, never used, is never purged");
  t.is(await tokenFor(server, unused), 401, 'the purged client is gone');
});

test('a client is never purged sooner than the days it was asked for, though its last use is recorded once a day', async (t) => {
  const server = await registrationServer(t, ACCEPT_ALL);
  const client = await serviceClient(server, 'Daily');
  t.is(await tokenFor(server, client), 200); // recorded: day 0
  server.advanceClock(20 * 3600);
  t.is(await tokenFor(server, client), 200); // day 0 + 20 h: the same day, not recorded again
  server.advanceClock(30 * DAY + 4 * 3600); // 30 days and 4 hours after the last token
  t.is((await server.provider.purgeExpired({ unusedClientsAfterDays: 30 })).unusedClients, 0);
  t.true(await exists(server, client.id));
  server.advanceClock(DAY);
  t.is((await server.provider.purgeExpired({ unusedClientsAfterDays: 30 })).unusedClients, 1, 'within a day more, it goes');
  t.false(await exists(server, client.id));
});

test('a use on a later day is recorded again: the client stays for the days after it', async (t) => {
  const server = await registrationServer(t, ACCEPT_ALL);
  const client = await serviceClient(server, 'Weekly');
  for (let week = 0; week < 6; week += 1) {
    t.is(await tokenFor(server, client), 200);
    server.advanceClock(7 * DAY);
  }
  t.is((await server.provider.purgeExpired({ unusedClientsAfterDays: 30 })).unusedClients, 0, 'registered 42 days ago, used 7 days ago');
  t.true(await exists(server, client.id));
});

test('without unusedClientsAfterDays no client is purged, and the result says nothing of clients', async (t) => {
  const server = await registrationServer(t, ACCEPT_ALL);
  const client = await serviceClient(server, 'Idle');
  server.advanceClock(400 * DAY);
  const purged = await server.provider.purgeExpired();
  t.false('unusedClients' in purged);
  t.true(await exists(server, client.id));
});

test('unusedClientsAfterDays must be a whole number of days from 1 to 36 500', async (t) => {
  const server = await registrationServer(t, ACCEPT_ALL);
  for (const days of [0, 1.5, -3, 36_501, Number.NaN]) {
    await t.throwsAsync(server.provider.purgeExpired({ unusedClientsAfterDays: days }), { instanceOf: ValidationError }, String(days));
  }
});
