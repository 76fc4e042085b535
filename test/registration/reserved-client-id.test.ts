/**
 * Ids beginning with `dcr_` are the registration endpoint's (RFC 7591): an operator's client with
 * such an id would be taken for a self-registered one, managed by a registration access token and
 * purged when unused. The management API refuses them.
 */
import test from 'ava';
import { OAuthProvider, ValidationError } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

test('provider.clients.create refuses a client id beginning with dcr_, reserved for self-registered clients, with a ValidationError on id saying why', async (t) => {
  const provider = new OAuthProvider(new MemoryStorage());
  const error = await t.throwsAsync(() => provider.clients.create({ id: 'dcr_billing', name: 'Billing', grants: ['client_credentials'] }), { instanceOf: ValidationError });
  t.is(error?.field, 'id');
  t.regex(error?.message ?? '', /must not begin with "dcr_", which is reserved for clients that register themselves/);
  t.is(await provider.clients.get('dcr_billing'), null, 'nothing is stored');
});

test('an id that merely contains dcr_, or spells it in capitals, is an operator’s like any other', async (t) => {
  const provider = new OAuthProvider(new MemoryStorage());
  for (const id of ['billing-dcr_1', 'DCR_billing']) {
    t.is((await provider.clients.create({ id, name: id, grants: ['client_credentials'] })).client.id, id);
  }
});
