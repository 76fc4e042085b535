import type { CommandGroup } from './command.js';
import { expectPositionals, stringOption } from './command-line.js';
import { UsageError } from './cli-error.js';
import { openProvider } from './open-provider.js';

/** `oauth2-kit tokens purge-expired`: housekeeping, safe to run from cron. */
export const tokenCommands: CommandGroup = {
  'purge-expired': {
    usage: 'tokens purge-expired [--unused-clients-after-days N]',
    summary: 'delete expired tokens, authorization codes, failed-attempt counters and unpublished signing keys (in short batches)',
    details: [
      '--unused-clients-after-days N   also delete the self-registered clients (RFC 7591, or known by their',
      '                                metadata document) issued no token for N days, with their tokens and codes',
    ],
    fieldNames: { unusedClientsAfterDays: '--unused-clients-after-days' },
    options: { 'unused-clients-after-days': { type: 'string' } },
    async run(context) {
      expectPositionals(context.positionals, [], 'tokens purge-expired');
      const days = daysOption(stringOption(context.values, 'unused-clients-after-days'));
      const provider = await openProvider(context);
      const purged = await provider.purgeExpired(days === undefined ? {} : { unusedClientsAfterDays: days });
      const clients = purged.unusedClients === undefined ? '' : ` Deleted ${purged.unusedClients} self-registered client(s) unused for ${days} day(s).`;
      const keys = purged.signingKeys === 0 ? '' : ` Deleted ${purged.signingKeys} retired signing key(s) no longer published.`;
      const sessions = purged.sessions === 0 ? '' : ` Deleted ${purged.sessions} expired sign-in session(s).`;
      return {
        human:
          `Purged ${purged.tokens} expired token issuance(s), ${purged.codes} expired authorization code(s) ` +
          `and ${purged.attemptCounters} expired failed-attempt counter(s).${keys}${sessions}${clients}`,
        json: purged,
      };
    },
  },
};

function daysOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) === 0) {
    throw new UsageError(`--unused-clients-after-days must be a positive whole number of days, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}
