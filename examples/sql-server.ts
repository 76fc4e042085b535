/**
 * `npm run start:sql`: the same example authorization server on OAuthSqlProvider (raw SQL).
 *
 * With no configuration it runs on an embedded PGlite database in `.data/pglite`;
 * `DATABASE_URL=postgresql://…` switches to PostgreSQL and `mysql://…` or `mariadb://…` to
 * MySQL/MariaDB. The schema is brought up to date at start-up: the Prisma migrations through
 * `migrate()` on PostgreSQL and PGlite (the tables are the same for both providers), the shipped
 * `CREATE TABLE IF NOT EXISTS` DDL on MySQL/MariaDB.
 */
import { migrate } from 'oauth2-kit/prisma';
import { OAuthSqlProvider, applyMysqlSchema, mariadbPoolAdapter, pgPoolAdapter, pgliteAdapter } from 'oauth2-kit/sql';
import { exampleProviderOptions } from './demo-provider-options.js';
import { openMigratedPGlite, prepareOrClose } from './migrated-database.js';
import { mysqlConnectionOptions, runExampleServer } from './run-example-server.js';

await runExampleServer({
  service: 'oauth2-kit-example-sql',
  async openStore(location, settings) {
    // Read before a database is opened: a wrong setting stops the start with nothing to close.
    const options = exampleProviderOptions(settings);
    switch (location.kind) {
      case 'pglite': {
        const pglite = await openMigratedPGlite(location.folder);
        return { provider: new OAuthSqlProvider(pgliteAdapter(pglite), options), close: () => pglite.close() };
      }
      case 'postgres': {
        const pg = (await import('pg')).default;
        const pool = new pg.Pool({ connectionString: location.url });
        // An idle connection the server dropped (restart, failover) is discarded by the pool and the
        // next query opens a new one; unhandled, the event would end the process.
        pool.on('error', () => {});
        await prepareOrClose(() => migrate({ pool }), () => pool.end());
        return { provider: new OAuthSqlProvider(pgPoolAdapter(pool), options), close: () => pool.end() };
      }
      case 'mysql': {
        const mariadb = await import('mariadb');
        // One plain connection first: a pool retries a refused connection, a wrong password or an
        // unknown database until its acquire timeout, then names none of them.
        await (await mariadb.createConnection({ ...mysqlConnectionOptions(location.url), connectTimeout: 5_000 })).end();
        const pool = mariadb.createPool(mysqlConnectionOptions(location.url));
        const sql = mariadbPoolAdapter(pool);
        await prepareOrClose(() => applyMysqlSchema(sql), () => pool.end());
        return { provider: new OAuthSqlProvider(sql, options), close: () => pool.end() };
      }
    }
  },
});
