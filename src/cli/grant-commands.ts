import type { CommandGroup } from './command.js';
import { expectPositionals, stringOption } from './command-line.js';
import { UsageError } from './cli-error.js';
import { openProvider } from './open-provider.js';
import { formatTable } from './text-table.js';

/**
 * `oauth2-kit grants list|revoke`: the consent users gave clients (OIDC Core §3.1.2.4), which lets
 * a later authorization asking no more skip the consent page.
 */
export const grantCommands: CommandGroup = {
  list: {
    usage: 'grants list [--user ID] [--client ID]',
    summary: 'list the consent users gave clients (OpenID Connect), by user then client',
    details: ['--user ID     only this user\'s grants', '--client ID   only the grants to this client'],
    options: { user: { type: 'string' }, client: { type: 'string' } },
    async run(context) {
      expectPositionals(context.positionals, [], 'grants list');
      const userId = stringOption(context.values, 'user');
      const clientId = stringOption(context.values, 'client');
      const provider = await openProvider(context);
      const grants = await provider.grants.list({ ...(userId === undefined ? {} : { userId }), ...(clientId === undefined ? {} : { clientId }) });
      const human =
        grants.length === 0
          ? 'No consent grants.'
          : formatTable(
              ['USER', 'CLIENT', 'SCOPES', 'RESOURCES', 'UPDATED'],
              grants.map((grant) => [grant.userId, grant.clientId, grant.scope.join(' ') || '-', grant.resources.join(' ') || '-', grant.updatedAt.toISOString()]),
            );
      return { human, json: grants };
    },
  },

  revoke: {
    usage: 'grants revoke --user ID [--client ID]',
    summary: "withdraw a user's consent to a client (or to every client) and revoke the user's tokens there",
    details: [
      '--user ID     the user whose consent goes (required)',
      '--client ID   only the consent to this client (default: to every client); the user\'s tokens at this',
      '              client are revoked even when no consent was remembered',
      'Authorization codes the user was issued there and that were not yet exchanged are spent: the',
      'token endpoint refuses them (without --client, at every client).',
    ],
    options: { user: { type: 'string' }, client: { type: 'string' } },
    async run(context) {
      expectPositionals(context.positionals, [], 'grants revoke');
      const userId = stringOption(context.values, 'user');
      if (userId === undefined) throw new UsageError('grants revoke needs --user');
      const clientId = stringOption(context.values, 'client');
      const provider = await openProvider(context);
      const revoked = await provider.grants.revoke(userId, clientId);
      const where = clientId === undefined ? 'every client' : `client "${clientId}"`;
      return {
        human:
          `Revoked ${revoked.grants} consent grant(s) of user "${userId}" to ${where}, and with them ` +
          `${revoked.codes} authorization code(s) not yet exchanged and ${revoked.tokens} token issuance(s).`,
        json: { userId, ...(clientId === undefined ? {} : { clientId }), ...revoked },
      };
    },
  },
};
