import type { OAuthProvider, OAuthProviderOptions } from '../core/index.js';
import type { CommandContext } from './command.js';

/**
 * The provider the management commands work through: `OAuthSqlProvider` on the command's database.
 * Whatever provider the server runs, the tables and their meaning are the same, so the CLI never
 * needs a generated Prisma client.
 */
export async function openProvider(context: CommandContext, options: OAuthProviderOptions = {}): Promise<OAuthProvider> {
  const connection = await context.open();
  const { OAuthSqlProvider } = await import('../providers/sql/index.js');
  return new OAuthSqlProvider(connection.sql, options);
}
