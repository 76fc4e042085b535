/**
 * Client secret rotation racing client authentication: an authentication in flight sees the old or
 * the new secret, never a 5xx; once the rotation has returned only the new secret works; of
 * simultaneous rotations exactly one returned secret ends up working.
 */
import test from 'ava';
import { basic, post, type Answer } from './support/http.js';
import { sharedStacks } from './support/shared-stacks.js';
import type { Stack } from './support/stacks.js';

const forEachStack = await sharedStacks(test, { providerOptions: { throttle: false } });

async function freshClient(stack: Stack): Promise<{ id: string; secret: string }> {
  const created = await stack.provider.clients.create({ name: 'Rotating', grants: ['client_credentials'], scopes: ['read'], defaultScopes: ['read'] });
  return { id: created.client.id, secret: created.clientSecret! };
}

function authenticate(stack: Stack, id: string, secret: string): Promise<Answer> {
  return post(stack.endpoint('token'), { grant_type: 'client_credentials' }, { authorization: basic(id, secret) });
}

forEachStack('authentications racing a secret rotation see the old or the new secret, and afterwards only the new', async (t, stack) => {
  const client = await freshClient(stack);
  const inFlight = Array.from({ length: 16 }, () => authenticate(stack, client.id, client.secret));
  const rotated = await stack.provider.clients.rotateSecret(client.id);
  t.truthy(rotated);
  const racing = await Promise.all(inFlight);
  t.true(racing.every((answer) => answer.status === 200 || (answer.status === 401 && answer.json?.error === 'invalid_client')));
  const [withOld, withNew] = await Promise.all([
    authenticate(stack, client.id, client.secret),
    authenticate(stack, client.id, rotated!.clientSecret),
  ]);
  t.is(withOld.status, 401);
  t.is(withNew.status, 200);
});

forEachStack('of concurrent rotations of one secret, exactly one returned secret works afterwards', async (t, stack) => {
  const client = await freshClient(stack);
  const rotations = await Promise.all(Array.from({ length: 6 }, () => stack.provider.clients.rotateSecret(client.id)));
  const secrets = rotations.map((rotation) => rotation?.clientSecret).filter((secret): secret is string => secret !== undefined);
  t.is(secrets.length, 6, 'every rotation returned a secret');
  const answers = await Promise.all(secrets.map((secret) => authenticate(stack, client.id, secret)));
  t.is(answers.filter((answer) => answer.status === 200).length, 1);
  t.is((await authenticate(stack, client.id, client.secret)).status, 401, 'the original secret is gone');
});
