/**
 * The MCP conformance suite (@modelcontextprotocol/conformance) against the example server, as
 * `npm run conformance` runs it: its server scenarios at `/mcp` with a token the MCP SDK's client
 * obtained, and its authorization-server scenarios at the issuer. Offline, a few seconds. Failures
 * are held to the committed baseline (test/mcp/conformance-baseline.json), where each expected one
 * says why.
 */
import test from 'ava';
import { verdictTable } from './support/conformance-baseline.js';
import { readBaseline, runMcpConformance, type ConformanceRun } from './support/conformance-run.js';

let run: ConformanceRun;

test.before(async () => {
  run = await runMcpConformance(await readBaseline());
});

test('the MCP conformance suite fails nothing but the baseline’s expected failures, and each of those still fails', (t) => {
  t.log(`@modelcontextprotocol/conformance ${run.version}\n${verdictTable(run.verdicts)}`);
  t.deepEqual(run.unexpected, [], 'failures the baseline does not expect');
  t.deepEqual(run.stale, [], 'baseline entries that no longer fail');
});

test('MCP 2025-11-25 — the authorization server passes the suite’s metadata and authorization-code scenarios', (t) => {
  const outcomes = Object.fromEntries(run.verdicts.filter((verdict) => verdict.suite === 'authorization').map((verdict) => [verdict.scenario, verdict.outcome]));
  t.deepEqual(outcomes, { 'authorization-code-grant': 'passed', 'authorization-server-metadata-endpoint': 'passed' });
});

test('MCP 2025-11-25 — the MCP server behind the guard passes the suite’s initialization, tools and DNS-rebinding scenarios', (t) => {
  const passed = new Set(run.verdicts.filter((verdict) => verdict.suite === 'server' && verdict.outcome === 'passed').map((verdict) => verdict.scenario));
  for (const scenario of ['server-initialize', 'ping', 'tools-list', 'tools-call-error', 'dns-rebinding-protection']) t.true(passed.has(scenario), scenario);
});
