import { DuplicateError, UnknownScopeError } from '../core/index.js';
import { StorageUnavailableError, ValidationError } from '../core/index.js';
import { CommandError, UsageError } from './cli-error.js';

/** How a failed command is reported: one line and an exit status. */
export interface Failure {
  message: string;
  /** 2 for a malformed command line, 1 for anything else. */
  exitCode: 1 | 2;
}

/**
 * Turns whatever a command threw into one line an operator can act on. Errors of this package are
 * shown as they are; anything else by its class and the first line of its message only, because
 * drivers append the failing statement and its bound parameters (digests, hashes) on later lines.
 */
export function describeFailure(error: unknown, fieldNames: Record<string, string> = {}): Failure {
  if (error instanceof UsageError) return { message: error.message, exitCode: 2 };
  if (error instanceof CommandError) return { message: error.message, exitCode: 1 };
  if (error instanceof ValidationError) return { message: validationMessage(error, fieldNames), exitCode: 1 };
  if (error instanceof DuplicateError) return { message: duplicateMessage(error), exitCode: 1 };
  if (error instanceof UnknownScopeError) {
    const list = error.scopes.join(' ');
    return {
      message: `unknown scope: ${list} (define it first: oauth2-kit scope define ${error.scopes[0] ?? '<name>'})`,
      exitCode: 1,
    };
  }
  if (error instanceof StorageUnavailableError) return describeDriverError(error.cause);
  return describeDriverError(error);
}

/** `redirectUris[1]: must be…` becomes `--redirect-uri #2: must be…` with the command's spelling. */
function validationMessage(error: ValidationError, fieldNames: Record<string, string>): string {
  const match = /^([A-Za-z]+)(?:\[(\d+)\])?$/.exec(error.field);
  const option = match ? fieldNames[match[1]!] : undefined;
  if (option === undefined) return error.message;
  const reason = error.message.slice(error.field.length).replace(/^:\s*/, '');
  return `${option}${match![2] === undefined ? '' : ` #${Number(match![2]) + 1}`}: ${reason}`;
}

function duplicateMessage(error: DuplicateError): string {
  if (error.entity === 'client') return 'a client with this id already exists';
  if (error.entity === 'username') return 'a user with this username already exists';
  if (error.entity === 'user') return 'a user with this id already exists';
  return error.message;
}

function describeDriverError(error: unknown): Failure {
  const code = (error as { code?: unknown } | null)?.code;
  const errno = (error as { errno?: unknown } | null)?.errno;
  // 42P01 undefined_table (PostgreSQL); 1146 ER_NO_SUCH_TABLE (MySQL/MariaDB).
  if (code === '42P01' || errno === 1146) {
    return { message: 'the database has no oauth2-kit tables yet: run "oauth2-kit migrate" first', exitCode: 1 };
  }
  if (error instanceof Error) {
    const firstLine = error.message.split('\n')[0]!.trim();
    return { message: `unexpected ${error.name}${firstLine ? `: ${firstLine}` : ''}`, exitCode: 1 };
  }
  return { message: `unexpected failure: ${String(error)}`, exitCode: 1 };
}
