// The schema engine's one-shot `cli` commands. Exit code 0 is success. On failure the Prisma CLI
// ignores the first stderr line and parses every later line as JSON, so the first line is a plain
// summary and the error itself is a native-format log line (see native-log.mjs).
import { EngineUserError } from './connection-errors.mjs';
import { checkConnection, createDatabase, dropDatabase } from './database-lifecycle.mjs';
import { writeErrorLog } from './native-log.mjs';

const COMMANDS = {
  'can-connect-to-database': checkConnection,
  'create-database': createDatabase,
  'drop-database': dropDatabase,
};

/**
 * @param {string | undefined} command
 * @param {{ url?: string } | undefined} datasource
 * @returns {Promise<number>} the exit code
 */
export async function runOneShotCommand(command, datasource) {
  try {
    const run = COMMANDS[/** @type {keyof typeof COMMANDS} */ (command)];
    if (run === undefined) throw new EngineUserError(`Unknown cli command: ${command}`, undefined);
    const url = datasource?.url;
    if (!url) throw new EngineUserError('The datasource has no url.', undefined);
    if (!/^postgres(ql)?:/i.test(url)) {
      throw new EngineUserError('This WASM schema-engine stand-in only supports PostgreSQL URLs.', undefined);
    }
    await run(url);
    return 0;
  } catch (error) {
    const failure = error instanceof EngineUserError ? error : new EngineUserError(String(/** @type {Error} */ (error)?.message ?? error), undefined);
    process.stderr.write(`schema-engine (WASM stand-in): ${command} failed\n`);
    writeErrorLog({ message: failure.message, code: failure.code });
    return 1;
  }
}
