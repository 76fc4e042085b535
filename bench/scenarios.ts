/**
 * The scenarios of `npm run bench`, in the order they run. Each starts the server it measures in a
 * fresh process and stops it afterwards; the bare Koa ceiling runs throughout.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { median, type LoadSample, type RequestSource } from './load.js';
import { startBenchJwtIssuer } from './jwt-issuer.js';
import { percent } from './report.js';
import { figuresOf, load, measureAlternating, measurePaired, pairedFigures, type MeasureSettings, type PairedFigures } from './measure.js';
import { clientCredentialsRequests, guardedRequests, issueOneToken, refreshRequests, singleTokenRequests } from './requests.js';
import type { BenchFixture, TokenSet } from './seeding.js';
import { countTokenRows, seedRefreshTokens } from './seeding.js';
import { startServer, type ServerProcess, type ServerSpec } from './server-process.js';
import { revocationPropagation } from './revocation-propagation.js';

/** A scratch database with what was seeded in it. */
export interface SeededDatabase {
  url: string;
  pool: pg.Pool;
  fixture: BenchFixture;
  /** Live access tokens the validation scenarios cycle through. */
  accessTokens: TokenSet;
}

export interface BenchContext {
  settings: MeasureSettings;
  ceiling: { server: ServerProcess; source: RequestSource };
  /** Validation: the live tokens beside {@link HISTORY_ROWS} expired rows. */
  reads: SeededDatabase;
  /** Validation beside ≥ 1 million expired rows, then their purge. */
  large: SeededDatabase;
  /** Issuance and refresh (every request adds a row). */
  writes: SeededDatabase;
  nodeFlags: string[];
  /** Database connections per server process. */
  poolSize: number;
  log(line: string): void;
}

/** One line of the results table. */
export interface ResultRow {
  scenario: string;
  server: string;
  rps: number;
  /** Throughput as a fraction of the bare Koa route measured alongside. */
  ratio: number;
  /** The lowest and highest per-repetition ratio {@link ratio} is the median of (equal when measured once). */
  ratioRange: [number, number];
  ceilingRps: number;
  /** The ceiling's own p99/p50: how much of a tail the machine and load generator add by themselves. */
  ceilingTail: number;
  /** Server CPU time per request, µs, and the bare Koa route's divided by it. */
  cpuMicrosPerRequest: number;
  cpuRatio: number;
  /** PostgreSQL CPU time per request, µs (NaN when PostgreSQL is not on this machine). */
  dbCpuMicrosPerRequest: number;
  p50: number;
  p99: number;
  errors: number;
  responses: number;
  notes: string[];
}

export interface Scenario {
  id: string;
  run(context: BenchContext): Promise<ResultRow[]>;
}

type ProviderName = 'sql' | 'prisma';
type CacheMode = 'exact' | 'cached';

function oauthServer(context: BenchContext, provider: ProviderName, cache: CacheMode, db: SeededDatabase, workers = 1): ServerSpec {
  return {
    name: `${provider} ${cache}${workers > 1 ? ` ×${workers}` : ''}`,
    script: 'oauth-server.ts',
    env: {
      BENCH_PROVIDER: provider,
      BENCH_CACHE: cache === 'cached' ? 'on' : 'off',
      BENCH_DATABASE_URL: db.url,
      BENCH_WORKERS: String(workers),
      BENCH_POOL_SIZE: String(context.poolSize),
    },
    nodeFlags: context.nodeFlags,
  };
}

async function withServer<T>(spec: ServerSpec, work: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await startServer(spec);
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

/** A scenario that measures one server against the ceiling. */
function paired(
  id: string,
  scenario: string,
  spec: (context: BenchContext) => ServerSpec,
  source: (context: BenchContext) => Promise<RequestSource>,
  prepare?: (context: BenchContext, server: ServerProcess) => Promise<void>,
): Scenario {
  return {
    id,
    async run(context) {
      const requests = await source(context);
      const serverSpec = spec(context);
      return withServer(serverSpec, async (server) => {
        await prepare?.(context, server);
        const figures = await measurePaired(context.settings, context.ceiling, { server, source: requests });
        return [pairedRow(scenario, serverSpec.name, figures)];
      });
    },
  };
}

/** The table row of a server measured against the ceiling. */
function pairedRow(scenario: string, server: string, figures: PairedFigures): ResultRow {
  return {
    scenario,
    server,
    rps: figures.subject.rps,
    ratio: figures.ratio,
    ratioRange: [Math.min(...figures.ratios), Math.max(...figures.ratios)],
    ceilingRps: figures.ceiling.rps,
    ceilingTail: figures.ceiling.p99 / figures.ceiling.p50,
    cpuMicrosPerRequest: figures.subject.cpuMicrosPerRequest,
    cpuRatio: figures.cpuRatio,
    dbCpuMicrosPerRequest: figures.subject.dbCpuMicrosPerRequest,
    p50: figures.subject.p50,
    p99: figures.subject.p99,
    errors: figures.subject.errors,
    responses: figures.subject.responses,
    notes: [],
  };
}

/**
 * Validation by a resource server that verifies JWT access tokens itself (`jwtGuard`), with no
 * database: the issuer's key set is served from this process, fetched once by the server; the
 * tokens are 1 000 ES256 JWTs, each connection cycling through its share as with opaque tokens,
 * and the bare Koa route is sent the same requests. "exact" verifies every signature; "cached"
 * keeps verified tokens (the default).
 */
function jwtValidation(cache: CacheMode): Scenario {
  return {
    id: `validate-${cache}-jwt`,
    async run(context) {
      const issuer = await startBenchJwtIssuer(1000);
      try {
        const spec: ServerSpec = {
          name: `jwt ${cache}`,
          script: 'jwt-guard-server.ts',
          env: {
            BENCH_JWT_ISSUER: issuer.issuer,
            BENCH_JWT_JWKS_URI: issuer.jwksUri,
            BENCH_JWT_RESOURCE: issuer.resource,
            BENCH_CACHE: cache === 'cached' ? 'on' : 'off',
          },
          nodeFlags: context.nodeFlags,
        };
        const label = cache === 'exact' ? 'guarded request, JWT, every signature verified' : 'guarded request, JWT, verified tokens kept';
        return await withServer(spec, async (server) => {
          // The ceiling gets the same requests: a JWT makes a request some 400 bytes longer than an opaque token does.
          const source = guardedRequests(issuer.tokens);
          const figures = await measurePaired(context.settings, { server: context.ceiling.server, source }, { server, source });
          return [{ ...pairedRow(label, spec.name, figures), notes: [`${spec.name}: the key set was fetched ${issuer.jwksRequests()} time(s)`] }];
        });
      } finally {
        await issuer.close();
      }
    },
  };
}

/** Enough never-used refresh tokens for the whole scenario at a generous 4 000 refreshes/s. */
async function freshRefreshTokens(context: BenchContext): Promise<TokenSet> {
  const { seconds, warmupSeconds, repetitions } = context.settings;
  const count = Math.ceil((warmupSeconds + seconds * repetitions) * 4000);
  return seedRefreshTokens(context.writes.pool, context.writes.fixture, count);
}

/** Access tokens seeded for validation, each connection cycling through its share. */
export const VALIDATION_TOKENS = 1000;

/** Expired rows beside the live tokens in the validation and write databases. */
export const HISTORY_ROWS = 100_000;

type Work = 'validate' | 'issue' | 'refresh';

/** What one workload sends, to which database, under which name in the table. */
interface Workload {
  label: string;
  database(context: BenchContext): SeededDatabase;
  /** Called once per server: a refresh server gets refresh tokens of its own. */
  source(context: BenchContext): Promise<RequestSource>;
  prepare?(context: BenchContext, server: ServerProcess): Promise<void>;
}

/**
 * A workload: validation with the seeded tokens presented round-robin, no two connections sharing
 * one (the case that counts), or one token on every connection (`single`); `client_credentials`
 * issuance; refresh with never-used refresh tokens.
 */
function workload(work: Work, cache: CacheMode, tokens: 'many' | 'single' = 'many'): Workload {
  switch (work) {
    case 'validate':
      return {
        label: `${cache === 'exact' ? 'guarded request, exact' : 'guarded request, cached (1 s)'}, ${tokens === 'single' ? 'one token' : `${formatCount(VALIDATION_TOKENS)} tokens`}`,
        database: (context) => context.reads,
        source: async (context) => (tokens === 'single' ? singleTokenRequests(context.reads.accessTokens) : guardedRequests(context.reads.accessTokens)),
        // The guard runs beside the token endpoint, as deployed: the process has issued a token.
        prepare: (context, server) => issueOneToken(server.port, context.reads.fixture),
      };
    case 'issue':
      return {
        label: cache === 'exact' ? 'client_credentials issuance' : 'client_credentials, client cache',
        database: (context) => context.writes,
        source: async (context) => clientCredentialsRequests(context.writes.fixture),
      };
    case 'refresh':
      return {
        label: cache === 'exact' ? 'refresh (rotation)' : 'refresh, client cache',
        database: (context) => context.writes,
        source: async (context) => refreshRequests(context.writes.fixture, await freshRefreshTokens(context)),
      };
  }
}

/** One provider on a workload, against the ceiling. */
function providerScenario(id: string, provider: ProviderName, cache: CacheMode, work: Workload, workers = 1): Scenario {
  return paired(id, work.label, (context) => oauthServer(context, provider, cache, work.database(context), workers), work.source, work.prepare);
}

function validation(provider: ProviderName, cache: CacheMode, workers = 1, tokens: 'many' | 'single' = 'many'): Scenario {
  const id = `validate-${tokens === 'single' ? 'single-' : ''}${cache}-${provider}${workers > 1 ? `-x${workers}` : ''}`;
  return providerScenario(id, provider, cache, workload('validate', cache, tokens), workers);
}

function issuance(provider: ProviderName, cache: CacheMode): Scenario {
  return providerScenario(`issue-${cache}-${provider}`, provider, cache, workload('issue', cache));
}

function refresh(provider: ProviderName, cache: CacheMode): Scenario {
  return providerScenario(`refresh-${cache}-${provider}`, provider, cache, workload('refresh', cache));
}

/**
 * Validation on the table with ~100 000 rows and on the one with ≥ 1 million, alternating
 * (ceiling, small, large, …): lookups are one index probe, so they must stay flat.
 */
function rowCount(provider: ProviderName): Scenario {
  return {
    id: `rows-${provider}`,
    async run(context) {
      const smallRows = await countTokenRows(context.reads.pool);
      const largeRows = await countTokenRows(context.large.pool);
      return withServer(oauthServer(context, provider, 'exact', context.reads), (small) =>
        withServer({ ...oauthServer(context, provider, 'exact', context.large), name: `${provider} exact` }, async (large) => {
          const samples = await measureAlternating(context.settings, context.ceiling, [
            { server: small, source: guardedRequests(context.reads.accessTokens) },
            { server: large, source: guardedRequests(context.large.accessTokens) },
          ]);
          const [smallSamples, largeSamples] = samples.subjects as [LoadSample[], LoadSample[]];
          const s = pairedFigures(samples.ceiling, smallSamples);
          const l = pairedFigures(samples.ceiling, largeSamples);
          const perRepetition = largeSamples.map((x, i) => x.rps / smallSamples[i]!.rps);
          return [
            pairedRow(`guarded, ${formatCount(smallRows)} rows`, `${provider} exact`, s),
            {
              ...pairedRow(`guarded, ${formatCount(largeRows)} rows`, `${provider} exact`, l),
              notes: [
                `${provider}: validation at ${formatCount(largeRows)} rows = ${percentOf(perRepetition)} of validation at ` +
                  `${formatCount(smallRows)} rows; database CPU per lookup ` +
                  `${Math.round(l.subject.dbCpuMicrosPerRequest)} µs vs ${Math.round(s.subject.dbCpuMicrosPerRequest)} µs`,
              ],
            },
          ];
        }),
      );
    },
  };
}

/** "87 % (median of 87 %, 108 %, 99 %)": the median of per-repetition ratios, and each of them. */
function percentOf(perRepetition: readonly number[]): string {
  return `${percent(median(perRepetition))} (median of ${perRepetition.map(percent).join(', ')})`;
}

/**
 * The two providers side by side on one workload: the SQL server and the Prisma server measured in
 * turn with the ceiling (ceiling, SQL, Prisma, …), so that Prisma's rate is compared with SQL's
 * taken moments before, not with a figure of another phase of the machine. Both use the same
 * database; a refresh server gets refresh tokens of its own.
 */
function providersSideBySide(work: Work, cache: CacheMode): Scenario {
  const measured = workload(work, cache);
  return {
    id: `providers-${work}-${cache}`,
    async run(context) {
      const label = `${measured.label}, providers side by side`;
      const db = measured.database(context);
      const sqlSource = await measured.source(context);
      const prismaSource = await measured.source(context);
      return withServer(oauthServer(context, 'sql', cache, db), (sql) =>
        withServer(oauthServer(context, 'prisma', cache, db), async (prisma) => {
          for (const server of [sql, prisma]) await measured.prepare?.(context, server);
          const samples = await measureAlternating(context.settings, context.ceiling, [
            { server: sql, source: sqlSource },
            { server: prisma, source: prismaSource },
          ]);
          const [sqlSamples, prismaSamples] = samples.subjects as [LoadSample[], LoadSample[]];
          const sqlFigures = pairedFigures(samples.ceiling, sqlSamples);
          const prismaFigures = pairedFigures(samples.ceiling, prismaSamples);
          const byRate = prismaSamples.map((x, i) => x.rps / sqlSamples[i]!.rps);
          const cpuOf = (x: LoadSample) => x.cpuMicrosPerRequest + (Number.isFinite(x.dbCpuMicrosPerRequest) ? x.dbCpuMicrosPerRequest : 0);
          const byCpu = prismaSamples.map((x, i) => cpuOf(sqlSamples[i]!) / cpuOf(x));
          return [
            pairedRow(label, sql.name, sqlFigures),
            {
              ...pairedRow(label, prisma.name, prismaFigures),
              notes: [
                `${label}: Prisma at ${percentOf(byRate)} of SQL's rate in the same repetition; ` +
                  `by CPU per request (server and PostgreSQL), ${percentOf(byCpu)}`,
              ],
            },
          ];
        }),
      );
    },
  };
}

/**
 * The expired rows of the large database purged by a separate process while validation runs: the
 * same server measured first undisturbed (alternating with the ceiling), then back to back for as
 * long as the purge takes.
 */
const purgeUnderLoad: Scenario = {
  id: 'purge-sql',
  async run(context) {
    const { settings } = context;
    const before = await countTokenRows(context.large.pool);
    return withServer(oauthServer(context, 'sql', 'exact', context.large), async (server) => {
      const source = guardedRequests(context.large.accessTokens);
      const quiet = await measurePaired(settings, context.ceiling, { server, source });
      const purge = startPurge(context.large.url);
      const during: LoadSample[] = [];
      let done = false;
      void purge.then(
        () => (done = true),
        () => (done = true),
      );
      while (!done) during.push(await load(settings, server, source));
      const result = await purge;
      const after = await countTokenRows(context.large.pool);
      const f = figuresOf(during);
      return [
        {
          scenario: 'guarded, during purge',
          server: 'sql exact',
          rps: f.rps,
          ratio: f.rps / quiet.ceiling.rps,
          ratioRange: [Math.min(...during.map((x) => x.rps)) / quiet.ceiling.rps, Math.max(...during.map((x) => x.rps)) / quiet.ceiling.rps],
          ceilingRps: quiet.ceiling.rps,
          ceilingTail: quiet.ceiling.p99 / quiet.ceiling.p50,
          cpuMicrosPerRequest: f.cpuMicrosPerRequest,
          cpuRatio: quiet.ceiling.cpuMicrosPerRequest / f.cpuMicrosPerRequest,
          dbCpuMicrosPerRequest: f.dbCpuMicrosPerRequest,
          p50: f.p50,
          p99: f.p99,
          errors: f.errors,
          responses: f.responses,
          notes: [
            `purge: ${formatCount(result.tokens)} expired rows deleted in ${result.seconds.toFixed(1)} s ` +
              `(${formatCount(Math.round(result.tokens / result.seconds))} rows/s, batches of 1 000) by a separate process, ` +
              `${formatCount(before)} → ${formatCount(after)} rows; validation meanwhile: ${during.length} intervals, ` +
              `median ${Math.round(f.rps)} req/s = ${percent(f.rps / quiet.subject.rps)} of the same server ` +
              `undisturbed (${Math.round(quiet.subject.rps)} req/s), p99 ${f.p99.toFixed(2)} ms vs ${quiet.subject.p99.toFixed(2)} ms`,
          ],
        },
      ];
    });
  },
};

function startPurge(url: string): Promise<{ tokens: number; seconds: number }> {
  const script = fileURLToPath(new URL('./purge-job.ts', import.meta.url));
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DATABASE_URL: url },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: { tokens: number; seconds: number } | undefined;
    child.on('message', (message: { type?: string; tokens?: number; seconds?: number }) => {
      if (message.type === 'purged') result = { tokens: message.tokens!, seconds: message.seconds! };
    });
    child.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`purge job exited with ${code}`))));
  });
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US').replace(/,/g, ' ');
}

/** Every scenario, in running order. */
export const scenarios: Scenario[] = [
  validation('sql', 'exact'),
  validation('prisma', 'exact'),
  validation('sql', 'cached'),
  validation('prisma', 'cached'),
  validation('sql', 'exact', 1, 'single'),
  validation('prisma', 'exact', 1, 'single'),
  validation('sql', 'cached', 1, 'single'),
  validation('prisma', 'cached', 1, 'single'),
  jwtValidation('exact'),
  jwtValidation('cached'),
  issuance('sql', 'exact'),
  issuance('prisma', 'exact'),
  issuance('sql', 'cached'),
  issuance('prisma', 'cached'),
  refresh('sql', 'exact'),
  refresh('prisma', 'exact'),
  refresh('sql', 'cached'),
  refresh('prisma', 'cached'),
  providersSideBySide('validate', 'exact'),
  providersSideBySide('validate', 'cached'),
  providersSideBySide('issue', 'exact'),
  providersSideBySide('refresh', 'exact'),
  rowCount('sql'),
  rowCount('prisma'),
  purgeUnderLoad,
  validation('sql', 'exact', 2),
  validation('sql', 'cached', 2),
  revocationPropagation,
];
