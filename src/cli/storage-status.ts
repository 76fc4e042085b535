import type { CommandContext } from './command.js';
import { describeFailure } from './failure-message.js';
import { readMigrationHistory, type MigrationHistory } from './migration-history.js';
import { openProvider } from './open-provider.js';

/** What `doctor` found in the database. */
export interface StorageStatus {
  ok: boolean;
  /** What was found when all is well, e.g. `migrations applied (2 of 2)`, `tables present`. */
  findings: string[];
  /** Each problem, in the words the other commands use for it. */
  problems: string[];
  /** The Prisma migration history (PostgreSQL and PGlite), or null (MySQL/MariaDB, or not reached). */
  migrations: MigrationHistory | null;
}

/**
 * Opens the command's database as every command does, compares its migration history with the
 * shipped migrations, and runs the provider's start-up check, which reads through every storage
 * call the server makes. Writes nothing.
 */
export async function inspectStorage(context: CommandContext): Promise<StorageStatus> {
  let connection;
  try {
    connection = await context.open();
  } catch (error) {
    return { ok: false, findings: [], problems: [describeFailure(error).message], migrations: null };
  }
  const findings: string[] = [];
  const problems: string[] = [];
  let migrations: MigrationHistory | null = null;
  if (connection.location.kind !== 'mysql') {
    try {
      migrations = await readMigrationHistory(connection.sql);
    } catch (error) {
      problems.push(`cannot read the migration history: ${describeFailure(error).message}`);
    }
  }
  let tablesPresent = true;
  try {
    await (await openProvider(context)).check();
  } catch (error) {
    tablesPresent = false;
    problems.push(describeFailure(error).message);
  }
  if (migrations !== null) describeHistory(migrations, tablesPresent, findings, problems);
  if (tablesPresent) findings.push('tables present');
  return { ok: problems.length === 0, findings, problems, migrations };
}

function describeHistory(history: MigrationHistory, tablesPresent: boolean, findings: string[], problems: string[]): void {
  if (!history.recorded) {
    // Without tables the check's own message (run migrate) says it all.
    if (tablesPresent) {
      findings.push('no migration history: the tables were not created by "oauth2-kit migrate", which refuses this database (P3005)');
    }
    return;
  }
  if (history.foreign.length > 0) {
    findings.push(
      `the migration history is your application's (${history.foreign.length} migration(s) oauth2-kit does not ship): ` +
        'your own Prisma migrations own these tables',
    );
    return;
  }
  for (const name of history.failed) {
    problems.push(`migration ${name} is recorded as failed: resolve it with "npx prisma migrate resolve", then run "oauth2-kit migrate"`);
  }
  if (history.pending.length > 0) {
    problems.push(
      `${history.pending.length} of ${history.shipped.length} migration(s) not applied (${history.pending.join(', ')}): run "oauth2-kit migrate"`,
    );
  }
  if (history.failed.length === 0 && history.pending.length === 0) {
    findings.push(`migrations applied (${history.applied.length} of ${history.shipped.length})`);
  }
}
