/**
 * Runs `migrate()` on the database named by DATABASE_URL, then prints, as one JSON line, the kinds of
 * resources still keeping the process alive (`process.getActiveResourcesInfo()`), and exits on its own.
 */
import { migrate } from '../../../src/providers/prisma/index.js';

const started = performance.now();
const { applied } = await migrate({ connectionString: process.env.DATABASE_URL! });
// One turn of the event loop: anything closing as migrate() returns has closed by then.
await new Promise((resolve) => setImmediate(resolve));
process.stdout.write(`${JSON.stringify({ applied, migrateMs: Math.round(performance.now() - started), alive: process.getActiveResourcesInfo() })}\n`);
