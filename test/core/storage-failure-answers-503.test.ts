import test from 'ava';
import { createAuthController, createGuard } from '../../src/core/index.js';
import { basic, DRIVER_MESSAGE, failableProvider, get, post } from './fixture.js';

/** Messages along an error's `inner` (oauth2-server) and `cause` links. */
function causeChain(error: unknown): string {
  const messages: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    messages.push(current.message);
    const next = current as Error & { inner?: unknown };
    current = next.inner ?? next.cause;
  }
  return messages.join(' <- ');
}

async function brokenAfterSetup() {
  const fixture = failableProvider();
  const { client, clientSecret } = await fixture.provider.clients.create({ name: 'c', grants: ['client_credentials'] });
  const logged: unknown[] = [];
  const onError = (error: unknown) => logged.push(error);
  const controller = createAuthController({ server: fixture.server, provider: fixture.provider, onError });
  const guard = createGuard({ server: fixture.server, onError });
  const token = await controller.token(post({ grant_type: 'client_credentials' }, { authorization: basic(client.id, clientSecret!) }));
  const accessToken = (token.body as { access_token: string }).access_token;
  fixture.failFromNowOn();
  return { controller, guard, credentials: basic(client.id, clientSecret!), accessToken, logged };
}

test('the token endpoint answers 503 temporarily_unavailable when storage fails', async (t) => {
  const { controller, credentials } = await brokenAfterSetup();
  const response = await controller.token(post({ grant_type: 'client_credentials' }, { authorization: credentials }));
  t.is(response.status, 503);
  t.is((response.body as { error: string }).error, 'temporarily_unavailable');
});

test('the guard answers 503 temporarily_unavailable when storage fails', async (t) => {
  const { guard, accessToken } = await brokenAfterSetup();
  const outcome = await guard.check(get({ authorization: `Bearer ${accessToken}` }));
  t.false(outcome.ok);
  if (!outcome.ok) t.is(outcome.response.status, 503);
});

test('revocation and introspection answer 503 when storage fails', async (t) => {
  const { controller, credentials, accessToken } = await brokenAfterSetup();
  t.is((await controller.revoke(post({ token: accessToken }, { authorization: credentials }))).status, 503);
  t.is((await controller.introspect(post({ token: accessToken }, { authorization: credentials }))).status, 503);
});

test('a storage failure never puts driver details in a response, but reaches onError', async (t) => {
  const { controller, guard, credentials, accessToken, logged } = await brokenAfterSetup();
  const responses = [
    await controller.token(post({ grant_type: 'client_credentials' }, { authorization: credentials })),
    await controller.introspect(post({ token: accessToken }, { authorization: credentials })),
  ];
  const outcome = await guard.check(get({ authorization: `Bearer ${accessToken}` }));
  if (!outcome.ok) responses.push(outcome.response);
  t.is(responses.length, 3);
  for (const response of responses) {
    t.false(JSON.stringify(response).includes('hunter2'));
    t.false(JSON.stringify(response).includes(accessToken));
  }
  t.is(logged.length, 3);
  t.true(logged.every((error) => causeChain(error).includes(DRIVER_MESSAGE)));
});

test('the management API surfaces a storage failure as StorageUnavailableError', async (t) => {
  const fixture = failableProvider();
  fixture.failFromNowOn();
  const error = await fixture.provider.clients.list().then(() => null, (e: unknown) => e);
  t.is((error as Error | null)?.name, 'StorageUnavailableError');
  t.false(String((error as Error).message).includes('hunter2'));
});
