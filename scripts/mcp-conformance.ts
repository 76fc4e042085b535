/**
 * `npm run conformance`: the MCP conformance suite (@modelcontextprotocol/conformance) against the
 * example server, offline: its server scenarios at /mcp (through a proxy that adds a token the MCP
 * SDK's client obtained) and its authorization-server scenarios at the issuer. Prints one line per
 * scenario, then compares the failures with test/mcp/conformance-baseline.json: exits 1 on a
 * failure the baseline does not list, or an entry that no longer fails.
 */
import { verdictTable } from '../test/mcp/support/conformance-baseline.js';
import { readBaseline, runMcpConformance } from '../test/mcp/support/conformance-run.js';

const run = await runMcpConformance(await readBaseline(), (line) => process.stdout.write(`${line}\n`));
process.stdout.write(`\n@modelcontextprotocol/conformance ${run.version}\n\n${verdictTable(run.verdicts)}\n\n`);
for (const line of run.unexpected) process.stdout.write(`UNEXPECTED FAILURE  ${line}\n`);
for (const line of run.stale) process.stdout.write(`STALE BASELINE      ${line}\n`);
const count = (test: (verdict: (typeof run.verdicts)[number]) => boolean) => run.verdicts.filter(test).length;
process.stdout.write(
  `${run.verdicts.length} scenarios: ${count((v) => v.outcome === 'passed')} passed, ` +
    `${count((v) => v.outcome === 'failed')} failed (${count((v) => v.expected !== undefined)} as the baseline expects), ` +
    `${count((v) => v.outcome === 'not exercised')} not exercised\n`,
);
process.exitCode = run.unexpected.length > 0 || run.stale.length > 0 ? 1 : 0;
