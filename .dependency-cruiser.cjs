// The import rules of the project, checked by `npm run lint:imports` (and so by `npm test`).
// Dependencies point inward: the core knows OAuth only, the providers and the Koa bindings know the
// core only through its public entry point, and nothing in src/ reaches out to tests, tooling or a
// generated client. test/architecture/import-rules.test.ts proves each rule catches its violation.
//
// Type-only imports count (tsPreCompilationDeps: true): `import type` from a deep core file still
// couples the two, and a cycle made of type imports is still a cycle we do not want.

/** A path pattern for npm packages (regex alternatives), whether resolved into node_modules or not. */
const packages = (names) => `(?:^|/)node_modules/(?:${names})(?:/|$)|^(?:${names})(?:/|$)`;

const KOA_PACKAGES = packages('koa|@koa/router|koa-bodyparser|@types/koa|@types/koa__router|@types/koa-bodyparser');
const DATABASE_PACKAGES = packages('pg|mariadb|@prisma/[^/]+|@electric-sql/pglite|pglite-prisma-adapter|@types/pg');

/**
 * The core's parts, lowest first (docs/contract.md): each may import the parts below it and
 * errors.ts, never one above. oauth-provider.ts and index.ts sit on top of them all.
 */
const CORE_LAYERS = ['storage', 'runtime', 'provider', 'oauth2-server', 'protocol'];
const WHY = {
  storage: 'storage/ defines the ports and records: it imports nothing else of the core.',
  runtime: 'runtime/ is machinery around the storage ports; it knows no credentials, grants or endpoints.',
  provider: 'provider/ (credentials, management, users) knows neither the library nor the endpoints built on it.',
  'oauth2-server': 'oauth2-server/ adapts the library to the provider; the endpoints use it, never the reverse.',
};
const coreLayerRules = CORE_LAYERS.slice(0, -1).map((layer, index) => ({
  name: `core-${layer}-below-${CORE_LAYERS[index + 1]}`,
  comment: `Inside the core, dependencies run ${CORE_LAYERS.join(' ← ')}. ${WHY[layer]}`,
  severity: 'error',
  from: { path: `^src/core/${layer}/` },
  to: { path: '^src/core/', pathNot: [`^src/core/(${CORE_LAYERS.slice(0, index + 1).join('|')})/`, '^src/core/errors\\.ts$'] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-not-outer-layers',
      comment: 'The core is what everything else builds on: it must work without any provider, HTTP binding, CLI or test helper.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(providers|koa|cli|testing)/' },
    },
    ...coreLayerRules,
    {
      name: 'core-entry-point-not-imported-inside',
      comment: 'index.ts is for the outside; a core module importing it would close a cycle through everything.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/core/index\\.ts$' },
    },
    {
      name: 'core-not-frameworks-or-databases',
      comment: 'The core knows OAuth, not Koa or a database driver: those are optional peers only their own layer may load.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: [KOA_PACKAGES, DATABASE_PACKAGES] },
    },
    {
      name: 'providers-not-each-other',
      comment: 'Each provider stands alone (raw SQL users need not install Prisma, and back): shared code goes in src/providers/*.ts or the core.',
      severity: 'error',
      from: { path: '^src/providers/([^/]+)/' },
      to: { path: '^src/providers/[^/]+/', pathNot: '^src/providers/$1/' },
    },
    {
      name: 'providers-not-outer-layers',
      comment: 'A provider is storage: it must not depend on the HTTP binding, the CLI that uses it, or the test helpers.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: '^src/(koa|cli|testing)/' },
    },
    {
      name: 'providers-not-koa-packages',
      comment: 'Storage works under any HTTP framework: a provider must not need Koa installed.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: KOA_PACKAGES },
    },
    {
      name: 'koa-not-outer-layers',
      comment: 'The Koa bindings work with any provider: they get storage through the core, never from a provider, the CLI or the test helpers.',
      severity: 'error',
      from: { path: '^src/koa/' },
      to: { path: '^src/(providers|cli|testing)/' },
    },
    {
      name: 'koa-not-database-packages',
      comment: 'The Koa bindings must not need a database driver or Prisma installed.',
      severity: 'error',
      from: { path: '^src/koa/' },
      to: { path: DATABASE_PACKAGES },
    },
    {
      name: 'core-only-through-index',
      comment: 'Outside the core, only src/core/index.ts is the core: its internals can move and change without breaking the layers around it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/core/' },
      to: { path: '^src/core/', pathNot: '^src/core/index\\.ts$' },
    },
    {
      name: 'cli-only-provider-entries',
      comment:
        'The CLI is a user of the providers like any other: through src/providers/*/index.ts, not their internals. ' +
        'The files directly in src/providers/ are no provider\'s internals but what they share (finding peer packages, statement names), which the CLI may use too.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/providers/', pathNot: ['^src/providers/[^/]+/index\\.ts$', '^src/providers/[^/]+\\.ts$'] },
    },
    {
      name: 'src-not-tests-or-tooling',
      comment: 'Shipped code must not depend on tests, benchmarks or examples: they are not published and may change freely.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|examples)/' },
    },
    {
      name: 'src-not-generated-client',
      comment: "A generated Prisma client is the application's, not ours: the Prisma provider takes the client it is given.",
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '(^|/)generated/' },
    },
    {
      name: 'src-not-async-hooks',
      comment:
        'No AsyncLocalStorage or async hook: on Node 20, entering one turns on hooks for every promise of the process, which cost guarded requests some 15 % of their throughput. Pass request facts explicitly.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(node:)?async_hooks$' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle ties its modules into one: none can be loaded, tested or moved alone. Type-only imports count too.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'examples-only-public-entries',
      comment:
        'Examples are copied by users: they import the package by its names (oauth2-kit, oauth2-kit/sql, …, which ' +
        'tsconfig.json maps to the entry points\' sources), never by a path into src/, and nothing else of the ' +
        'repository but each other and the application\'s own generated Prisma client. The demo runner alone also ' +
        'shares the admin CLI\'s database-location rules, which have no public entry point (next rule).',
      severity: 'error',
      from: { path: '^examples/' },
      to: {
        dependencyTypesNot: ['core', 'aliased-tsconfig-paths'],
        pathNot: ['^examples/', '(^|/)node_modules/', '(^|/)generated/prisma/', '^src/cli/'],
      },
    },
    {
      name: 'examples-cli-internals-only-in-demo-runner',
      comment: 'Only the demo runner may use the CLI\'s database-location helpers; examples meant to be copied may not.',
      severity: 'error',
      from: { path: '^examples/', pathNot: '^examples/run-example-server\\.ts$' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    // The test fixtures are deliberately wrong: they are checked by their own test, not here.
    exclude: { path: '^test/architecture/fixtures/' },
    doNotFollow: { path: ['(^|/)node_modules/', '(^|/)generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
