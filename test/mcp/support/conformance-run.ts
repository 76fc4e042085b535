/**
 * The MCP conformance suite against the example server, end to end and offline: `npm start`'s
 * server on a temporary embedded database, then
 *
 * - the suite's server scenarios against its `/mcp`. The suite connects without OAuth, so it goes
 *   through a proxy that adds a token, which the MCP SDK's own client obtained from the example
 *   as any MCP client does (401, metadata, dynamic registration, sign-in, code with PKCE);
 * - the suite's authorization-server scenarios against its issuer: the metadata, and the
 *   authorization-code grant for a client known by its Client ID Metadata Document (served here
 *   over HTTPS, with a test CA the example is told to trust) whose redirect URI is the suite's
 *   callback, where this run signs in on the page the suite would have a person open. The suite's
 *   request names no scope: the demo grants such a client the MCP server's scope by default,
 *   where a self-registered (RFC 7591) client, which has no default scope, is refused
 *   `invalid_scope` (RFC 6749 §3.3 allows either).
 *
 * The results are measured against the committed baseline of expected failures.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareWithBaseline, type BaselineComparison, type ConformanceBaseline } from './conformance-baseline.js';
import { conformanceVersion, readScenarioResults, runConformanceCli } from './conformance-cli.js';
import { startBearerProxy } from './bearer-proxy.js';
import { startClientDocumentHost, type ClientDocumentHost } from './client-documents.js';
import { signInAs, startExampleServer, type RunningExample } from './example-mcp-server.js';
import { connectWithOAuth, MemoryOAuthClient } from './mcp-oauth-client.js';

export const BASELINE_FILE = new URL('../conformance-baseline.json', import.meta.url);

/** The spec revision the server scenarios are run at: the newest the example's MCP SDK speaks. */
export const SPEC_VERSION = '2025-11-25';

export interface ConformanceRun extends BaselineComparison {
  /** The suite's package version. */
  version: string;
}

/** Reads the committed baseline. */
export async function readBaseline(): Promise<ConformanceBaseline> {
  const file = JSON.parse(await readFile(BASELINE_FILE, 'utf8')) as { expectedFailures: ConformanceBaseline };
  return file.expectedFailures;
}

/** Runs both suites against a freshly started example and compares the results with `baseline`. */
export async function runMcpConformance(baseline: ConformanceBaseline, log: (line: string) => void = () => {}): Promise<ConformanceRun> {
  const host = await startClientDocumentHost();
  const example = await startExampleServer(host.exampleEnv).catch(async (error: unknown) => {
    await host.close();
    throw error;
  });
  const output = await mkdtemp(join(tmpdir(), 'oauth2-kit-mcp-conformance-'));
  try {
    log(`example server at ${example.baseUrl}, MCP server at ${example.mcpUrl}`);
    const token = await tokenForMcpServer(example);
    const proxy = await startBearerProxy(example.baseUrl, token);
    try {
      log(`server scenarios (spec ${SPEC_VERSION}) through ${proxy.origin}/mcp`);
      await runConformanceCli(['server', '--url', `${proxy.origin}/mcp`, '--spec-version', SPEC_VERSION, '-o', join(output, 'server')]);
    } finally {
      await proxy.close();
    }
    log(`authorization-server scenarios against ${example.baseUrl}`);
    await runAuthorizationScenarios(example, host, join(output, 'authorization'));
    const runs = [
      { suite: 'server' as const, results: await readScenarioResults(join(output, 'server'), 'server-') },
      { suite: 'authorization' as const, results: await readScenarioResults(join(output, 'authorization'), 'authorization-server-') },
    ];
    return { version: conformanceVersion, ...compareWithBaseline(runs, baseline) };
  } finally {
    await example.stop();
    await host.close();
    await rm(output, { recursive: true, force: true });
  }
}

/** A token for the example's MCP server, obtained by the MCP SDK's client from the `/mcp` URL alone. */
async function tokenForMcpServer(example: RunningExample): Promise<string> {
  const redirectUrl = 'http://127.0.0.1/callback';
  const provider = new MemoryOAuthClient({
    redirectUrl,
    clientMetadata: { client_name: 'MCP conformance run', redirect_uris: [redirectUrl], token_endpoint_auth_method: 'none' },
    signIn: signInAs(example.baseUrl, example.user),
  });
  const client = await connectWithOAuth(example.mcpUrl, provider, fetch);
  await client.close();
  const tokens = provider.tokens();
  if (tokens === undefined) throw new Error('the MCP SDK connected without saving a token');
  return tokens.access_token;
}

/**
 * The `authorization` suite, for a client whose metadata document names the suite's callback
 * server as its redirect URI. The suite prints the authorization URL for a person to open; this
 * run opens it, signs in, and follows the redirect to the suite's callback, as the browser would.
 */
async function runAuthorizationScenarios(example: RunningExample, host: ClientDocumentHost, folder: string): Promise<void> {
  const port = await freePort();
  const clientId = host.publish('/conformance-client.json', `http://127.0.0.1:${port}/callback`, 'MCP conformance suite');
  const signIn = signInAs(example.baseUrl, example.user);
  let browser: Promise<void> | undefined;
  // A failed sign-in stops the suite, which would otherwise wait minutes for its callback.
  const stop = new AbortController();
  const run = await runConformanceCli(
    ['authorization', '--url', example.baseUrl, '--client-id', clientId, '--resource', example.mcpUrl, '-p', String(port), '-o', folder],
    (line) => {
      if (browser === undefined && line.startsWith(`${example.baseUrl}/auth/authorize?`)) {
        browser = signIn(new URL(line.trim())).then(async (redirect) => {
          await (await fetch(redirect)).text();
        });
        browser.catch(() => stop.abort());
      }
    },
    stop.signal,
  );
  if (browser === undefined) throw new Error(`the authorization suite never asked for a sign-in:\n${run.output}`);
  await browser;
}

/** A loopback port free right now, for the suite's callback server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
