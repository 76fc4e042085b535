/**
 * The import rules of .dependency-cruiser.cjs (run on the real tree by `npm run lint:imports`), each
 * proved on a small tree under fixtures/ that mirrors the src/ layout: a fixture named after a rule
 * holds a deliberately wrong import that must be reported under that rule's name and no other, and
 * fixtures/clean holds every kind of import the rules allow and must pass. A fixture with its own
 * tsconfig.json resolves through it, as the real tree resolves `oauth2-kit` through the root's paths. Deleting or loosening a
 * rule fails its test here. The fixtures are not cruised by lint:imports, typechecked or run by ava.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

const options: ICruiseOptions = await extractDepcruiseOptions(`${root}.dependency-cruiser.cjs`);
const tsConfig = extractTSConfig(`${root}tsconfig.json`);

/** The rule violations found in one fixture tree, as "rule: from → to" lines. */
async function violationsIn(fixture: string): Promise<string[]> {
  const baseDir = `${fixtures}${fixture}`;
  const roots = ['src', 'examples'].filter((dir) => existsSync(`${baseDir}/${dir}`));
  const ownTsConfig = `${baseDir}/tsconfig.json`;
  const { output } = existsSync(ownTsConfig)
    ? await cruise(roots, { ...options, baseDir, tsConfig: { fileName: ownTsConfig } }, {}, { tsConfig: extractTSConfig(ownTsConfig) })
    : await cruise(roots, { ...options, baseDir }, {}, { tsConfig });
  const violations: IViolation[] = (output as ICruiseResult).summary.violations;
  return violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

/** Package paths differ by where node_modules sits (and is linked from): keep the package's name only. */
const packageOf = (line: string) => line.replace(/→ (?:\S*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/u, '→ $1');

const rules: Array<[rule: string, title: string, expected: string[]]> = [
  ['core-not-outer-layers', 'the core does not import the Koa bindings, a provider, the CLI or the test helpers', ['src/core/guard.ts → src/koa/guard.ts']],
  ['core-storage-below-runtime', 'inside the core, storage/ imports nothing but itself and errors.ts', ['src/core/storage/records.ts → src/core/runtime/storage-stack.ts']],
  ['core-runtime-below-provider', 'inside the core, runtime/ imports only storage/ and errors.ts', ['src/core/runtime/storage-stack.ts → src/core/provider/credentials.ts']],
  ['core-provider-below-oauth2-server', 'inside the core, provider/ does not import the library seam or the endpoints', ['src/core/provider/credentials.ts → src/core/oauth2-server/model.ts']],
  ['core-oauth2-server-below-protocol', 'inside the core, the library seam does not import the endpoints (type-only imports count)', ['src/core/oauth2-server/token-request.ts → src/core/protocol/request-parameters.ts']],
  ['core-entry-point-not-imported-inside', 'inside the core, no module imports the public entry point', ['src/core/protocol/guard.ts → src/core/index.ts']],
  ['core-not-frameworks-or-databases', 'the core does not import Koa or a database package (type-only imports count)', ['src/core/app.ts → koa', 'src/core/pool.ts → pg']],
  ['providers-not-each-other', 'the SQL provider does not import the Prisma provider', ['src/providers/sql/rows.ts → src/providers/prisma/prisma-rows.ts']],
  ['providers-not-outer-layers', 'a provider does not import the test helpers, the CLI or the Koa bindings', ['src/providers/sql/index.ts → src/testing/index.ts']],
  ['providers-not-koa-packages', 'a provider does not import a Koa package', ['src/providers/prisma/index.ts → @koa/router']],
  ['koa-not-outer-layers', 'the Koa bindings do not import a provider', ['src/koa/index.ts → src/providers/sql/sql-storage.ts']],
  ['koa-not-database-packages', 'the Koa bindings do not import a database package', ['src/koa/index.ts → @prisma/client']],
  ['core-only-through-index', 'outside the core, the core is imported through src/core/index.ts only', ['src/koa/state.ts → src/core/records.ts']],
  [
    'cli-only-provider-entries',
    "the CLI imports a provider through its index.ts only, not the providers' internals",
    ['src/cli/main.ts → src/providers/sql/sql-interface.ts'],
  ],
  ['src-not-tests-or-tooling', 'src/ does not import tests, benchmarks or examples', ['src/testing/index.ts → examples/demo-seed.ts', 'src/testing/index.ts → test/support/databases.ts']],
  ['src-not-generated-client', 'src/ does not import a generated Prisma client', ['src/providers/prisma/index.ts → generated/prisma/client.ts']],
  ['src-not-async-hooks', 'src/ does not import async_hooks (AsyncLocalStorage turns on hooks for every promise in the process)', ['src/core/runtime/request-source.ts → async_hooks']],
  [
    'no-circular',
    'src/ has no import cycle, even one closed by a type-only import',
    ['src/core/credentials.ts → src/core/oauth-provider.ts'], // a cycle is reported once, from its first module
  ],
  [
    'examples-only-public-entries',
    'examples import the package by its names, never by a path into src/, not even to an entry point (their own generated client is allowed)',
    ['examples/app.ts → src/core/index.ts', 'examples/app.ts → src/core/oauth-provider.ts'],
  ],
  [
    'examples-cli-internals-only-in-demo-runner',
    "only the demo runner uses the CLI's database-location helpers",
    ['examples/app.ts → src/cli/database-location.ts'],
  ],
];

for (const [rule, title, expected] of rules) {
  test(`${rule}: ${title}`, async (t) => {
    const found = (await violationsIn(rule)).map(packageOf);
    t.deepEqual(found, expected.map((edge) => `${rule}: ${edge}`));
  });
}

test('the clean tree, with every kind of import the rules allow, has no violation', async (t) => {
  t.deepEqual(await violationsIn('clean'), []);
});

test('every rule in the config has its fixture here, at severity error', (t) => {
  const configured = options.ruleSet?.forbidden ?? [];
  t.deepEqual(configured.map((r) => r.name).sort(), rules.map(([rule]) => rule).sort());
  for (const r of configured) t.is(r.severity, 'error', r.name);
});
