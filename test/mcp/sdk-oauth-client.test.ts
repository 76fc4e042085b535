/**
 * An MCP client that has never met the example server, the MCP SDK's own (`Client` over
 * `StreamableHTTPClientTransport` with an `authProvider`), starting from nothing but the `/mcp`
 * URL: the 401 names the resource's metadata (RFC 9728), which names the authorization server
 * (RFC 8414), where the client registers — with a Client ID Metadata Document when it has one, by
 * RFC 7591 otherwise — and runs the authorization-code flow with PKCE S256 and `resource`
 * (RFC 8707). The test's own requests are the sign-in alone, the one step the SDK leaves to a
 * browser. Each flow's requests are written to the test log.
 */
import test from 'ava';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startClientDocumentHost, type ClientDocumentHost } from './support/client-documents.js';
import { signInAs, startExampleServer, type RunningExample } from './support/example-mcp-server.js';
import { connectWithOAuth, MemoryOAuthClient, recordingFetch, transcript, type RecordedRequest } from './support/mcp-oauth-client.js';

let host: ClientDocumentHost;
let example: RunningExample;

test.before(async () => {
  host = await startClientDocumentHost();
  example = await startExampleServer(host.exampleEnv);
});

test.after.always(async () => {
  await example?.stop();
  await host?.close();
});

const REDIRECT_URL = 'http://127.0.0.1:8976/callback';

interface Whoami {
  subject: string | null;
  clientId: string;
  scopes: string[];
  audience: string[];
}

/**
 * The whole way an application goes, with the SDK: connect (discovery, registration, sign-in),
 * finish with the code, connect again, call whoami. Every request is recorded.
 */
async function connectAndAskWhoami(clientMetadataUrl?: string): Promise<{ provider: MemoryOAuthClient; requests: RecordedRequest[]; caller: Whoami }> {
  const recorder = recordingFetch();
  const provider = new MemoryOAuthClient({
    redirectUrl: REDIRECT_URL,
    ...(clientMetadataUrl === undefined ? {} : { clientMetadataUrl }),
    clientMetadata: { client_name: 'MCP test client', redirect_uris: [REDIRECT_URL], token_endpoint_auth_method: 'none' },
    signIn: signInAs(example.baseUrl, example.user, recorder.fetch),
  });
  const client = await connectWithOAuth(example.mcpUrl, provider, recorder.fetch);
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  await client.close();
  return { provider, requests: recorder.requests, caller: result.structuredContent as unknown as Whoami };
}

/** What the servers did on their own: the document fetches, and the MCP server's guard fetching the issuer's keys. */
function serverSide(documentPath: string): string {
  const guardFetches = example.process
    .logs()
    .filter((line) => line.event === 'request' && line.path === '/auth/jwks')
    .map((line) => `GET    ${example.baseUrl}/auth/jwks → ${String(line.status)} (the MCP server's JWT guard, fetching the issuer's keys)`);
  return [`GET    ${host.documents.url(documentPath)} → fetched ${host.documents.hits(documentPath)}× by the authorization server`, ...guardFetches].join('\n');
}

function paths(requests: readonly RecordedRequest[]): string[] {
  return requests.map(({ method, url, status }) => `${method} ${new URL(url).pathname} ${status}`);
}

test.serial('MCP 2025-11-25 — the SDK client, from the /mcp URL alone, identifies itself by its Client ID Metadata Document, signs the user in and calls whoami', async (t) => {
  const clientId = host.publish('/mcp-client.json', REDIRECT_URL, 'MCP test client');
  const { provider, requests, caller } = await connectAndAskWhoami(clientId);
  t.log(`Client ID Metadata Document flow:\n${transcript(requests)}\n${serverSide('/mcp-client.json')}`);

  t.is(provider.authorizationUrls[0]?.searchParams.get('client_id'), clientId);
  t.true(host.documents.hits('/mcp-client.json') >= 1, 'the server fetched the document');
  t.false(paths(requests).some((line) => line.startsWith('POST /auth/register')), 'no dynamic registration');
  t.like(caller, { subject: 'demo-user', clientId, scopes: ['mcp:tools'], audience: [example.mcpUrl] });
});

let dynamicToken: string;

test.serial('RFC 7591 — the SDK client registers dynamically, runs the code flow with PKCE S256 and resource, gets a JWT access token (RFC 9068) for the MCP server, and whoami shows the user and scope', async (t) => {
  const { provider, requests, caller } = await connectAndAskWhoami();
  t.log(`Dynamic registration flow:\n${transcript(requests)}`);

  const flow = paths(requests);
  t.deepEqual(flow.slice(0, 6), [
    'POST /mcp 401',
    'GET /.well-known/oauth-protected-resource/mcp 200',
    'GET /.well-known/oauth-authorization-server 200',
    'POST /auth/register 201',
    'GET /auth/authorize 200',
    'POST /auth/authorize 303',
  ]);
  const authorization = provider.authorizationUrls[0]!.searchParams;
  t.is(authorization.get('code_challenge_method'), 'S256');
  t.is(authorization.get('resource'), example.mcpUrl);
  t.is(authorization.get('scope'), 'mcp:tools');

  const token = provider.tokens()!.access_token;
  dynamicToken = token;
  t.is(decodeProtectedHeader(token).typ, 'at+jwt');
  const claims = decodeJwt(token);
  t.is(claims.aud, example.mcpUrl);
  t.is(claims.client_id, provider.clientInformation()!.client_id);
  t.is(claims.scope, 'mcp:tools');
  t.like(caller, { subject: 'demo-user', clientId: provider.clientInformation()!.client_id, scopes: ['mcp:tools'], audience: [example.mcpUrl] });
});

test.serial('RFC 8707 §2 — the token issued for the MCP server is refused 401 invalid_token at another resource of the same server', async (t) => {
  if (dynamicToken === undefined) return t.fail('the previous test obtained no token');
  const response = await fetch(`${example.baseUrl}/api/reports`, { headers: { authorization: `Bearer ${dynamicToken}` } });
  t.is(response.status, 401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  t.regex(challenge, /error="invalid_token"/);
  t.regex(challenge, new RegExp(`resource_metadata="${example.baseUrl}/\\.well-known/oauth-protected-resource/api/reports"`));
});

test.serial('RFC 8707 §2 — the token issued for the MCP server is refused 401 invalid_token at /api/me, a guard bound to no resource', async (t) => {
  if (dynamicToken === undefined) return t.fail('the first dynamic-registration test obtained no token');
  const response = await fetch(`${example.baseUrl}/api/me`, { headers: { authorization: `Bearer ${dynamicToken}` } });
  t.is(response.status, 401);
  t.regex(response.headers.get('www-authenticate') ?? '', /error="invalid_token", error_description="Invalid token: access token was issued for another resource"/);
});
