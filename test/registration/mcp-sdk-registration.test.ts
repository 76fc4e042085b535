/**
 * A real third-party client of RFC 7591: the MCP TypeScript SDK's `registerClient`, which MCP
 * clients call when the authorization server names a registration endpoint, parses the answer
 * with its own schema, and the client it registered completes the flow the SDK then runs.
 */
import test from 'ava';
import { registerClient } from '@modelcontextprotocol/sdk/client/auth.js';
import { startRegistrationServer, type RegistrationServer } from './support/registration-server.js';

let server: RegistrationServer;
test.before(async () => {
  server = await startRegistrationServer();
});
test.after.always(() => server?.close());

/** The server's metadata as the SDK reads it, its endpoints on the address the test reaches. */
async function metadata(): Promise<Record<string, unknown>> {
  const document = (await (await fetch(`${server.origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
  const local = (url: string) => url.replace('https://login.example', server.origin);
  return { ...document, registration_endpoint: local(document['registration_endpoint']!), token_endpoint: local(document['token_endpoint']!) };
}

test('RFC 7591 §3.2.1 — the MCP SDK registers a public client and accepts the answer as its schema says', async (t) => {
  const information = await registerClient(server.origin, {
    metadata: (await metadata()) as never,
    clientMetadata: {
      client_name: 'MCP SDK client',
      redirect_uris: ['http://127.0.0.1:8976/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
    scope: 'read',
  });
  t.regex(information.client_id, /^dcr_/);
  t.is(information.client_secret, undefined);
  t.is(information.scope, 'read');
  t.is(typeof information.client_id_issued_at, 'number');
  t.deepEqual(information.redirect_uris, ['http://127.0.0.1:8976/callback']);
  t.is((await server.provider.clients.get(information.client_id))?.name, 'MCP SDK client');
});

test('RFC 7591 §3.2.2 — the MCP SDK reports a refused registration with the description the server gave', async (t) => {
  const refused = await registerClient(server.origin, {
    metadata: (await metadata()) as never,
    clientMetadata: { client_name: 'Bad', redirect_uris: ['http://app.example/callback'], token_endpoint_auth_method: 'none' },
  }).catch((error: unknown) => error);
  t.true(refused instanceof Error);
  t.regex(String((refused as Error).message), /http on a host other than localhost/);
});
