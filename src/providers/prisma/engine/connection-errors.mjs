// Connection failures reported with the codes and wording of Prisma's user-facing errors
// (https://www.prisma.io/docs/orm/reference/error-reference#common), which the CLI relies on:
// `migrate dev|deploy` create a missing database only when told P1003.
import { databaseOf, serverOf } from './postgres-url.mjs';

/** An error carrying a Prisma error code (`P1001`, `P3005`, …). */
export class EngineUserError extends Error {
  /**
   * @param {string} message
   * @param {string | undefined} code
   */
  constructor(message, code) {
    super(message);
    this.name = 'EngineUserError';
    this.code = code;
  }
}

/**
 * @param {unknown} error a pg connection error
 * @param {string} url the URL that was used (only host, port, user and database are quoted)
 */
export function describeConnectionError(error, url) {
  const pgError = /** @type {{ code?: string, message?: string }} */ (error ?? {});
  const server = serverOf(url);
  const database = databaseOf(url);
  const user = decodeURIComponent(new URL(url).username || 'postgres');
  switch (pgError.code) {
    case '3D000':
      return new EngineUserError(`Database \`${database}\` does not exist on the database server at \`${server}\`.`, 'P1003');
    case '28P01':
    case '28000':
      return new EngineUserError(
        `Authentication failed against database server at \`${server}\`, the provided database credentials for \`${user}\` are not valid.`,
        'P1000',
      );
    case '42501':
      return new EngineUserError(`User \`${user}\` was denied access on the database \`${database}\``, 'P1010');
    case '42P04':
      return new EngineUserError(`Database \`${database}\` already exists on the database server at \`${server}\``, 'P1009');
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case 'EAI_AGAIN':
      return new EngineUserError(
        `Can't reach database server at \`${server}\`\n\nPlease make sure your database server is running at \`${server}\`.`,
        'P1001',
      );
    default:
      return new EngineUserError(String(pgError.message ?? error), undefined);
  }
}
