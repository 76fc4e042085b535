/**
 * The conformance runs measured against the committed baseline of expected failures
 * (test/mcp/conformance-baseline.json): a failure it does not list is a regression, and an entry
 * that no longer fails is stale, so that the file always says exactly what fails and why.
 */
import type { ScenarioResult } from './conformance-cli.js';

/** The suites the runs use: the CLI's `server` and `authorization` commands. */
export type ConformanceSuite = 'server' | 'authorization';

/**
 * Per suite, the expected failures: a scenario (every check of it may fail) or `scenario:check-id`
 * (that check only), each with a one-line reason.
 */
export type ConformanceBaseline = Record<ConformanceSuite, Record<string, string>>;

/** What became of one scenario. */
export interface ScenarioVerdict {
  suite: ConformanceSuite;
  scenario: string;
  /** `not exercised`: no check failed and none passed (the scenario does not apply, it says why). */
  outcome: 'passed' | 'failed' | 'not exercised';
  /** The checks that failed or were skipped, with the suite's message. */
  failures: Array<{ check: string; message: string }>;
  /** The baseline's reason, when it expects every one of these failures. */
  expected?: string;
  /** Why a scenario was not exercised, as the suite says. */
  note?: string;
}

export interface BaselineComparison {
  verdicts: ScenarioVerdict[];
  /** Failed checks the baseline does not list: `suite scenario:check — message`. */
  unexpected: string[];
  /** Baseline entries for checks that did not fail (or scenarios that did not run). */
  stale: string[];
}

/** Compares each suite's results with its part of the baseline. */
export function compareWithBaseline(runs: Array<{ suite: ConformanceSuite; results: ScenarioResult[] }>, baseline: ConformanceBaseline): BaselineComparison {
  const verdicts: ScenarioVerdict[] = [];
  const unexpected: string[] = [];
  const stale: string[] = [];
  for (const { suite, results } of runs) {
    const expected = baseline[suite];
    const failedEntries = new Set<string>();
    for (const { scenario, checks } of results) {
      // A skipped check counts as failed: a run that could not exercise it proves nothing.
      const failures = checks
        .filter((check) => check.status === 'FAILURE' || check.status === 'SKIPPED')
        .map((check) => ({ check: check.id, message: check.errorMessage ?? check.status }));
      const passed = checks.some((check) => check.status === 'SUCCESS');
      const verdict: ScenarioVerdict = { suite, scenario, outcome: failures.length > 0 ? 'failed' : passed ? 'passed' : 'not exercised', failures };
      if (verdict.outcome === 'not exercised') {
        const said = checks.map((check) => check.errorMessage ?? check.details?.message).find((message) => message !== undefined);
        if (said !== undefined) verdict.note = said;
      }
      const reasons = failures.map(({ check, message }) => {
        const entry = [`${scenario}:${check}`, scenario].find((key) => key in expected);
        if (entry === undefined) {
          unexpected.push(`${suite} ${scenario}:${check} — ${message}`);
          return undefined;
        }
        failedEntries.add(entry);
        return expected[entry];
      });
      if (reasons.length > 0 && reasons.every((reason) => reason !== undefined)) verdict.expected = [...new Set(reasons)].join('; ');
      verdicts.push(verdict);
    }
    for (const entry of Object.keys(expected)) {
      if (!failedEntries.has(entry)) stale.push(`${suite} ${entry} — listed as an expected failure, but it did not fail`);
    }
  }
  return { verdicts, unexpected, stale };
}

/** The verdicts as a table, one scenario a line. */
export function verdictTable(verdicts: readonly ScenarioVerdict[]): string {
  const width = Math.max(...verdicts.map((verdict) => verdict.scenario.length));
  return verdicts
    .map(({ suite, scenario, outcome, failures, expected, note }) => {
      const said = outcome === 'failed' ? (expected ?? failures.map((failure) => `${failure.check}: ${failure.message}`).join('; ')) : note;
      const detail = said === undefined ? '' : ` — ${said}`;
      return `${suite.padEnd(13)} ${scenario.padEnd(width)}  ${outcome}${detail}`;
    })
    .join('\n');
}
