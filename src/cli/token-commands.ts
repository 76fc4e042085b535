import type { CommandGroup } from './command.js';
import { expectPositionals } from './command-line.js';
import { openProvider } from './open-provider.js';

/** `oauth2-kit tokens purge-expired`: housekeeping, safe to run from cron. */
export const tokenCommands: CommandGroup = {
  'purge-expired': {
    usage: 'tokens purge-expired',
    summary: 'delete expired tokens, authorization codes and failed-attempt counters (in short batches)',
    options: {},
    async run(context) {
      expectPositionals(context.positionals, [], 'tokens purge-expired');
      const provider = await openProvider(context);
      const purged = await provider.purgeExpired();
      return {
        human:
          `Purged ${purged.tokens} expired token issuance(s), ${purged.codes} expired authorization code(s) ` +
          `and ${purged.attemptCounters} expired failed-attempt counter(s).`,
        json: purged,
      };
    },
  },
};
