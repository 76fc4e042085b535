/**
 * `oauth2-kit`: the operator's CLI for an oauth2-kit database — migrations, clients, scopes, resources, users
 * and housekeeping. It works on the tables directly through `OAuthSqlProvider`, whichever provider
 * the server runs (both use the same tables).
 */
import type { Command, CommandContext, CommandResult } from './command.js';
import { flag, parseCommandLine, stringOption } from './command-line.js';
import { commandLength, lookupCommand } from './command-registry.js';
import { openDatabase, type DatabaseConnection } from './database-connection.js';
import { resolveDatabaseLocation } from './database-location.js';
import { describeFailure } from './failure-message.js';
import { helpText } from './help-text.js';
import { PACKAGE_ROOT } from '../providers/installed-packages.js';
import { assertTaskPackages } from './missing-packages.js';

/** Where output goes; tests and embedding callers may pass their own streams. */
export interface CliStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** How the CLI is embedded; tests use it to stand in for an application's installation. */
export interface CliOptions {
  /** Where optional packages are resolved from, as oauth2-kit's own imports would (default: this package's root). */
  resolvePackagesFrom?: string;
}

/**
 * Runs one command line (without `node` and the script name) and resolves to the exit status:
 * 0 on success, 1 when the command failed, 2 when the command line was wrong. Never throws, and
 * prints failures as one line on stderr without a stack trace.
 */
export async function runCli(
  argv: readonly string[],
  streams: CliStreams = { stdout: process.stdout, stderr: process.stderr },
  cliOptions: CliOptions = {},
): Promise<number> {
  let connection: DatabaseConnection | undefined;
  let command: Command | undefined;
  try {
    const parsed = parseCommandLine(argv, (words) => lookupCommand(words)?.options, commandLength);
    command = lookupCommand(parsed.words);
    if (flag(parsed.values, 'help')) {
      streams.stdout.write(helpText(parsed.words));
      return 0;
    }
    if (command === undefined) {
      // `oauth2-kit` or `oauth2-kit client` alone: help, but as the usage error it is.
      streams.stderr.write(helpText(parsed.words));
      return 2;
    }
    const location = resolveDatabaseLocation(stringOption(parsed.values, 'database-url'));
    const resolvePackagesFrom = cliOptions.resolvePackagesFrom ?? PACKAGE_ROOT;
    if (command.packages !== 'none') assertTaskPackages(command.packages ?? 'commands', location.kind, resolvePackagesFrom);
    const context: CommandContext = {
      location,
      values: parsed.values,
      positionals: parsed.positionals,
      resolvePackagesFrom,
      warn: (message) => streams.stderr.write(`oauth2-kit: warning: ${message}\n`),
      async open(options = {}) {
        connection ??= await openDatabase(location, { createEmbedded: options.createEmbedded ?? false, warn: context.warn });
        return connection;
      },
    };
    const result: CommandResult = await command.run(context);
    streams.stdout.write(flag(parsed.values, 'json') ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.human}\n`);
    return result.exitCode ?? 0;
  } catch (error) {
    const failure = describeFailure(error, command?.fieldNames);
    streams.stderr.write(`oauth2-kit: error: ${failure.message}\n`);
    if (process.env.OAUTH2KIT_DEBUG && error instanceof Error && error.stack) streams.stderr.write(`${error.stack}\n`);
    return failure.exitCode;
  } finally {
    if (connection) {
      await connection.close().catch((error: unknown) => {
        streams.stderr.write(`oauth2-kit: warning: closing the database failed: ${describeFailure(error).message}\n`);
      });
    }
  }
}
