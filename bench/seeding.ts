/**
 * What the scenarios run on: a confidential client and a user registered through the library's own
 * management API, and token rows inserted in bulk by PostgreSQL itself (`INSERT … SELECT
 * generate_series`, digests computed with `sha256()`), which writes a million rows in seconds rather
 * than the minutes a million issuances through HTTP would take.
 *
 * Seeded tokens are `<random prefix><n>`: only their SHA-256 digests are stored, exactly as issued
 * tokens are, and the harness rebuilds any of them from the prefix.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { OAuthSqlProvider, pgPoolAdapter } from '../src/providers/sql/index.js';

/** The client and user every scenario uses. */
export interface BenchFixture {
  clientId: string;
  clientSecret: string;
  userId: string;
  scope: string;
}

/** Seeded tokens: `token(n)` for n in 1…count. */
export interface TokenSet {
  count: number;
  token(n: number): string;
}

function tokenSet(count: number): { prefix: string; set: TokenSet } {
  // 32 random bytes, as real credentials have (the suffix only tells seeded tokens apart).
  const prefix = `${randomBytes(32).toString('base64url')}.`;
  return { prefix, set: { count, token: (n) => `${prefix}${n}` } };
}

/**
 * Registers the bench client (client_credentials, refresh_token; scope `read`) and a user. The
 * user's tokens are seeded straight into the table, so the client needs no password grant.
 */
export async function seedFixture(url: string): Promise<BenchFixture> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    // A cheap scrypt cost: the bench never signs in with this password.
    const provider = new OAuthSqlProvider(pgPoolAdapter(pool), { passwordHashCost: { N: 1024, r: 8, p: 1 } });
    await provider.scopes.define('read', 'Read access');
    const { clientSecret } = await provider.clients.create({
      id: 'bench-client',
      name: 'Bench client',
      grants: ['client_credentials', 'refresh_token'],
      scopes: ['read'],
    });
    const user = await provider.users.create({ id: 'bench-user', username: 'bench-user', password: randomBytes(16).toString('hex') });
    return { clientId: 'bench-client', clientSecret: clientSecret!, userId: user.id, scope: 'read' };
  } finally {
    await pool.end();
  }
}

const COLUMNS =
  'id, access_token_hash, access_token_expires_at, refresh_token_hash, refresh_token_expires_at, scope, ' +
  'client_id, user_id, family_id, authorization_code_id, revoked_at, expires_at, created_at';

const digestOf = (expression: string) => `encode(sha256(convert_to(${expression}, 'UTF8')), 'hex')`;

/** `count` live access tokens (6 hours left) of the fixture's user, without refresh tokens. */
export async function seedAccessTokens(pool: pg.Pool, fixture: BenchFixture, count: number): Promise<TokenSet> {
  const { prefix, set } = tokenSet(count);
  await pool.query(
    `INSERT INTO oauth_tokens (${COLUMNS})
     SELECT gen_random_uuid()::text, ${digestOf('$1 || n::text')}, now() + interval '6 hours', NULL, NULL,
            $2, $3, $4, gen_random_uuid()::text, NULL, NULL, now() + interval '6 hours', now()
     FROM generate_series(1, $5::int) AS n`,
    [prefix, fixture.scope, fixture.clientId, fixture.userId, count],
  );
  return set;
}

/** `count` live refresh tokens of the fixture's user (their access tokens are not handed out). */
export async function seedRefreshTokens(pool: pg.Pool, fixture: BenchFixture, count: number): Promise<TokenSet> {
  const { prefix, set } = tokenSet(count);
  await pool.query(
    `INSERT INTO oauth_tokens (${COLUMNS})
     SELECT gen_random_uuid()::text, ${digestOf("$1 || 'a' || n::text")}, now() + interval '1 hour',
            ${digestOf('$1 || n::text')}, now() + interval '14 days',
            $2, $3, $4, gen_random_uuid()::text, NULL, NULL, now() + interval '14 days', now()
     FROM generate_series(1, $5::int) AS n`,
    [prefix, fixture.scope, fixture.clientId, fixture.userId, count],
  );
  return set;
}

/**
 * `count` rows that expired a day ago (access and refresh digests both set, as after a password
 * grant), in statements of 100 000 rows. They fill every index of the table like real history does,
 * and are what the purge scenario deletes.
 */
export async function seedExpiredRows(
  pool: pg.Pool,
  fixture: BenchFixture,
  count: number,
  onProgress: (done: number) => void = () => {},
): Promise<void> {
  const { prefix } = tokenSet(count);
  const chunk = 100_000;
  for (let start = 1; start <= count; start += chunk) {
    const end = Math.min(count, start + chunk - 1);
    await pool.query(
      `INSERT INTO oauth_tokens (${COLUMNS})
       SELECT gen_random_uuid()::text, ${digestOf("$1 || 'a' || n::text")}, now() - interval '15 days',
              ${digestOf("$1 || 'r' || n::text")}, now() - interval '1 day',
              $2, $3, CASE WHEN n % 4 = 0 THEN NULL ELSE $4 END, gen_random_uuid()::text, NULL, NULL,
              now() - interval '1 day', now() - interval '15 days'
       FROM generate_series($5::int, $6::int) AS n`,
      [prefix, fixture.scope, fixture.clientId, fixture.userId, start, end],
    );
    onProgress(end);
  }
}

/**
 * Vacuums and analyses the token table, as a table at steady state is: otherwise the autovacuum a
 * bulk insert triggers would run in the middle of a measurement.
 */
export async function settle(pool: pg.Pool): Promise<void> {
  await pool.query('VACUUM (ANALYZE) oauth_tokens');
}

/** Rows in `oauth_tokens`. */
export async function countTokenRows(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM oauth_tokens');
  return Number(rows[0]!.n);
}
