/**
 * `npm start`: the example authorization server on OAuthPrismaProvider.
 *
 * With no configuration it runs on an embedded PGlite database in `.data/pglite` (nothing to
 * install); `DATABASE_URL=postgresql://…` switches to PostgreSQL. Either way the committed Prisma
 * migrations are applied in-process at start-up with `migrate()` — the same migrations, history
 * table and checksums as `prisma migrate deploy`, and a no-op when the database is up to date.
 * In production, run `oauth2-kit migrate` as a release step and start the servers after it.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { OAuthPrismaProvider, migrate, preparedStatementName } from 'oauth2-kit/prisma';
import { exampleProviderOptions } from './demo-provider-options.js';
import { openMigratedPGlite } from './migrated-database.js';
import { runExampleServer } from './run-example-server.js';

await runExampleServer({
  service: 'oauth2-kit-example-prisma',
  async openStore(location, settings) {
    // Read before a database is opened: a wrong setting stops the start with nothing to close.
    const options = exampleProviderOptions(settings);
    switch (location.kind) {
      case 'pglite': {
        const pglite = await openMigratedPGlite(location.folder);
        const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
        return {
          provider: new OAuthPrismaProvider(prisma, options),
          async close() {
            await prisma.$disconnect();
            await pglite.close();
          },
        };
      }
      case 'postgres': {
        await migrate({ connectionString: location.url });
        const adapter = new PrismaPg({ connectionString: location.url }, { statementNameGenerator: preparedStatementName });
        const prisma = new PrismaClient({ adapter });
        return { provider: new OAuthPrismaProvider(prisma, options), close: () => prisma.$disconnect() };
      }
      case 'mysql':
        // The schema's datasource is PostgreSQL, and Prisma cannot migrate MySQL without its native engine.
        throw new Error('the Prisma example runs on PostgreSQL or PGlite; for MySQL/MariaDB use "npm run start:sql"');
    }
  },
});
