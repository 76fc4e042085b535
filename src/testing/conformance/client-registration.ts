import {
  createClientRegistrationEndpoint,
  type ClientRegistrationInteractor,
  type OAuthHttpResponse,
  type OAuthProviderOptions,
} from '../../core/index.js';
import type { DefineConformanceTest } from './define.js';
import { errorOf, pkcePair, type Harness, type TestClient } from './harness.js';
import type { ConformanceCapability } from './types.js';

const DAY = 86_400;
const REDIRECT_URI = 'https://client.example/callback';

/** Any client may register itself, unthrottled: the group checks what every storage must keep. */
const SELF_REGISTRATION: OAuthProviderOptions = { dynamicRegistration: { policy: () => ({ accept: true }), throttle: false } };

/** A self-registered client: its credentials and its registration access token. */
interface SelfRegistered extends TestClient {
  registrationAccessToken: string;
}

function endpointOf(h: Harness): ClientRegistrationInteractor {
  return createClientRegistrationEndpoint({ provider: h.provider });
}

const call = { clientUri: (clientId: string) => `https://login.example/auth/register/${clientId}` };

function jsonRequest(body: Record<string, unknown>, token?: string) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    query: {},
    body,
  };
}

/** Registers a client through the endpoint (RFC 7591 §3.1); the scopes it names are catalogued first. */
async function registerItself(h: Harness, metadata: Record<string, unknown>): Promise<SelfRegistered> {
  await h.defineScopes('read', 'write');
  const response = await endpointOf(h).register(jsonRequest(metadata), call);
  if (response.status !== 201) throw new Error(`registration refused: ${response.status} ${JSON.stringify(response.body)}`);
  const body = response.body as Record<string, string>;
  return { id: body['client_id']!, secret: body['client_secret'] ?? null, registrationAccessToken: body['registration_access_token']! };
}

const publicClient = (h: Harness) =>
  registerItself(h, { client_name: 'Public', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] });

const serviceClient = (h: Harness, name = 'Service') =>
  registerItself(h, { client_name: name, token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'], response_types: [], scope: 'read' });

const bodyOf = (response: OAuthHttpResponse) => response.body as Record<string, unknown>;

/** Dynamic client registration (RFC 7591, RFC 7592) and the last use of self-registered clients, on every storage. */
export function clientRegistration(define: DefineConformanceTest): void {
  type Run = Parameters<DefineConformanceTest>[1];
  /** A test on a provider whose clients may register themselves; it needs the port, and `also` when given. */
  const registrationTest = (title: string, run: Run, also?: ConformanceCapability) =>
    define.requiring(also === undefined ? 'storesClientRegistrations' : [also, 'storesClientRegistrations'], title, run, SELF_REGISTRATION);

  registrationTest(
    'RFC 7591 §3.2.1 — a public client registers itself and completes the authorization-code flow with PKCE',
    async (t, h) => {
      const client = await publicClient(h);
      t.is(client.secret, null);
      const pair = pkcePair();
      const { code } = await h.authorize(client, await h.createUser(), {
        redirect_uri: REDIRECT_URI,
        scope: 'read',
        code_challenge: pair.challenge,
        code_challenge_method: 'S256',
      });
      const exchanged = await h.exchangeCode(client, code, { redirect_uri: REDIRECT_URI, code_verifier: pair.verifier });
      t.is(exchanged.status, 200, JSON.stringify(exchanged.body));
      t.true(await h.authenticates((exchanged.body as { access_token: string }).access_token));
    },
  );

  registrationTest(
    'RFC 7591 §3.2.1 — a confidential client registers itself and authenticates with the secret it was given',
    async (t, h) => {
      const client = await serviceClient(h);
      t.is(typeof client.secret, 'string');
      t.is((await h.clientCredentials(client, 'read')).scope, 'read');
      t.is((await h.token({ grant_type: 'client_credentials' }, { id: client.id, secret: `${client.secret!}x` })).status, 401);
    },
  );

  registrationTest(
    'RFC 7592 §2.1 — a client reads its registration, and the read replaces its registration access token',
    async (t, h) => {
      const client = await publicClient(h);
      const read = await endpointOf(h).read(jsonRequest({}, client.registrationAccessToken), client.id, call);
      t.is(read.status, 200);
      t.is(bodyOf(read)['client_name'], 'Public');
      t.not(bodyOf(read)['registration_access_token'], client.registrationAccessToken);
      t.is((await endpointOf(h).read(jsonRequest({}, client.registrationAccessToken), client.id, call)).status, 401);
      t.is((await endpointOf(h).read(jsonRequest({}, String(bodyOf(read)['registration_access_token'])), client.id, call)).status, 200);
    },
  );

  registrationTest(
    'RFC 7592 §2.2 — an update replaces the client metadata and the client with it',
    async (t, h) => {
      const client = await publicClient(h);
      const replacement = { client_id: client.id, client_name: 'Renamed', redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none', scope: 'read' };
      const updated = await endpointOf(h).update(jsonRequest(replacement, client.registrationAccessToken), client.id, call);
      t.is(updated.status, 200, JSON.stringify(updated.body));
      const stored = await h.provider.clients.get(client.id);
      t.is(stored?.name, 'Renamed');
      t.deepEqual(stored?.redirectUris, ['http://127.0.0.1/cb']);
      t.deepEqual(stored?.scopes, ['read']);
      t.deepEqual(stored?.grants, ['authorization_code']);
    },
  );

  registrationTest(
    'RFC 7592 §2.3 — a client deletes itself, and its tokens go with it',
    async (t, h) => {
      const client = await serviceClient(h);
      const { access_token } = await h.clientCredentials(client, 'read');
      const deleted = await endpointOf(h).delete(jsonRequest({}, client.registrationAccessToken), client.id, call);
      t.is(deleted.status, 204);
      t.is(await h.provider.clients.get(client.id), null);
      t.false(await h.authenticates(access_token));
    },
  );

  registrationTest(
    'RFC 7592 §2 — a wrong registration access token and an unknown client are answered alike: 401 invalid_token',
    async (t, h) => {
      const client = await publicClient(h);
      const wrong = await endpointOf(h).read(jsonRequest({}, 'A'.repeat(43)), client.id, call);
      const unknown = await endpointOf(h).read(jsonRequest({}, client.registrationAccessToken), 'dcr_AAAAAAAAAAAAAAAAAAAAAAAA', call);
      t.is(wrong.status, 401);
      t.is(errorOf(wrong), 'invalid_token');
      t.deepEqual(unknown, wrong);
    },
  );

  registrationTest(
    'purgeExpired({ unusedClientsAfterDays }) deletes the self-registered clients issued no token for that long, and keeps the used ones and operator clients',
    async (t, h) => {
      const operator = await h.registerClient();
      const [used, unused] = [await serviceClient(h, 'Used'), await serviceClient(h, 'Unused')];
      h.clock.advance(10 * DAY);
      await h.clientCredentials(used, 'read');
      h.clock.advance(22 * DAY);
      t.is((await h.provider.purgeExpired({ unusedClientsAfterDays: 30 })).unusedClients, 1);
      t.is(await h.provider.clients.get(unused.id), null);
      t.truthy(await h.provider.clients.get(used.id));
      t.truthy(await h.provider.clients.get(operator.id));
    },
  );

  registrationTest(
    "a self-registered client's secret and registration access token are stored only as digests",
    async (t, h) => {
      const { dumpAllRows } = h.subject;
      if (!dumpAllRows) {
        throw new Error('setup returned no dumpAllRows(): return one, or pass inspectsRows: false to register this test as skipped');
      }
      const client = await serviceClient(h);
      const dump = (await dumpAllRows()).join('\n');
      t.true(dump.includes(client.id), 'the dump holds the client');
      t.false(dump.includes(client.secret!), 'the secret is stored in clear');
      t.false(dump.includes(client.registrationAccessToken), 'the registration access token is stored in clear');
    },
    'inspectsRows',
  );
  registrationTest(
    "a self-registered client's first token of a day costs one round trip more (its last use), the next ones none; an operator's client never",
    async (t, h) => {
      const { countQueries, resetQueryCount } = h.subject;
      if (!countQueries || !resetQueryCount) {
        throw new Error('setup returned no countQueries()/resetQueryCount(): return both, or pass countsQueries: false to register the query-cost tests as skipped');
      }
      const cost = async (client: TestClient) => {
        resetQueryCount();
        await h.clientCredentials(client, 'read');
        return countQueries();
      };
      const operator = await h.registerClient({ grants: ['client_credentials'], scopes: ['read'] });
      const self = await serviceClient(h);
      const costs = { operator: [await cost(operator), await cost(operator)], self: [await cost(self), await cost(self)] };
      h.clock.advance(DAY + 1);
      costs.self.push(await cost(self));
      costs.operator.push(await cost(operator));
      t.log(JSON.stringify(costs));
      const base = costs.operator[0]!;
      t.deepEqual(costs.operator, [base, base, base], "an operator's client costs the same every time");
      t.deepEqual(costs.self, [base + 1, base, base + 1], 'one write a day for a self-registered client');
    },
    'countsQueries',
  );

}
