/**
 * Runs the provider conformance suite (`oauth2-kit/testing`) on one provider × database combination,
 * or registers a visible skip with the reason: a skipped combination is never silent.
 */
import test from 'ava';
import { runConformanceSuite } from '../../../src/testing/index.js';
import { openTarget, type DatabaseKind, type ProviderKind } from './targets.js';

export async function runCombination(provider: ProviderKind, database: DatabaseKind): Promise<void> {
  const name = `${provider}/${database}`;
  const target = await openTarget(provider, database);
  if ('skip' in target) {
    console.warn(`[conformance] ${name}: SKIPPED — ${target.skip}`);
    test.skip(`${name}: conformance suite SKIPPED — ${target.skip}`, () => {});
    return;
  }
  test.after.always(() => target.close());
  runConformanceSuite(test.serial, {
    name,
    async setup(options) {
      await target.empty();
      target.resetQueries();
      return {
        provider: target.provider(options),
        close: async () => {},
        countQueries: target.queries,
        resetQueryCount: target.resetQueries,
        dumpAllRows: target.dumpAllRows,
      };
    },
  });
}
