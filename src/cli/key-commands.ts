import { ValidationError, type OAuthProvider, type SigningAlgorithm, type SigningKeyRotation, type SigningKeyView } from '../core/index.js';
import { CommandError, UsageError } from './cli-error.js';
import type { CommandContext, CommandGroup } from './command.js';
import { expectPositionals, stringOption } from './command-line.js';
import { openProvider } from './open-provider.js';
import { formatTable } from './text-table.js';

/** `oauth2-kit keys rotate|list`: the keys JWT access tokens (RFC 9068) are signed with. */

/** Where the CLI reads the operator key private signing keys are encrypted under. */
export const ENCRYPTION_KEY_VARIABLE = 'OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY';
/** Older operator keys, comma-separated, while the operator key changes (`signingKeys.previousEncryptionKeys`). */
export const PREVIOUS_ENCRYPTION_KEYS_VARIABLE = 'OAUTH2KIT_SIGNING_KEY_PREVIOUS_ENCRYPTION_KEYS';

// The core's SIGNING_ALGORITHMS and MAX_PUBLISH_AHEAD_SECONDS, which its entry point (all the CLI
// may import of it) does not export: checked here so that a wrong option fails before the database
// is opened; provider.keys.rotate() checks them again.
const ALGORITHMS = ['ES256', 'EdDSA', 'RS256'] as const satisfies readonly SigningAlgorithm[];
const MAX_PUBLISH_AHEAD = 604_800;

/** The provider with the operator key from the environment; its absence or a malformed value named. */
async function providerWithOperatorKey(context: CommandContext): Promise<OAuthProvider> {
  const encryptionKey = process.env[ENCRYPTION_KEY_VARIABLE];
  if (encryptionKey === undefined || encryptionKey === '') {
    throw new CommandError(
      `keys rotate needs the operator key the signing keys are encrypted under: set ${ENCRYPTION_KEY_VARIABLE} to the ` +
        "server's signingKeys.encryptionKey (32 random bytes, base64url, e.g. from: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\" for a first key)",
    );
  }
  const previous = (process.env[PREVIOUS_ENCRYPTION_KEYS_VARIABLE] ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '');
  try {
    return await openProvider(context, { signingKeys: { encryptionKey, previousEncryptionKeys: previous } });
  } catch (error) {
    // The provider names its option; on this command line the value came from the environment.
    if (error instanceof ValidationError && error.field.startsWith('signingKeys.encryptionKey')) {
      throw new CommandError(`${ENCRYPTION_KEY_VARIABLE}${error.message.slice('signingKeys.encryptionKey'.length)}`);
    }
    if (error instanceof ValidationError && error.field.startsWith('signingKeys.previousEncryptionKeys')) {
      throw new CommandError(`${PREVIOUS_ENCRYPTION_KEYS_VARIABLE}${error.message.slice('signingKeys.previousEncryptionKeys'.length)}`);
    }
    throw error;
  }
}

function publishAheadOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) > MAX_PUBLISH_AHEAD) {
    throw new UsageError(`--publish-ahead must be a whole number of seconds from 0 to ${MAX_PUBLISH_AHEAD}, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

function algorithmOption(raw: string | undefined, name: string): SigningAlgorithm | undefined {
  if (raw === undefined) return undefined;
  const algorithm = ALGORITHMS.find((candidate) => candidate === raw);
  if (algorithm === undefined) throw new UsageError(`${name} must be one of ${ALGORITHMS.join(', ')}, got ${JSON.stringify(raw)}`);
  return algorithm;
}

/**
 * The algorithms to rotate when none is named: those with a key that signs or is pending. The CLI
 * knows no server's configuration, so it rotates every algorithm the servers keep keys for (access
 * tokens', and ID tokens' with OpenID Connect), and retires none; ES256 on a database without keys.
 */
function algorithmsInUse(keys: readonly SigningKeyView[]): SigningAlgorithm[] {
  const inUse = [...new Set(keys.filter((key) => key.status !== 'retired').map((key) => key.alg))];
  return inUse.length === 0 ? ['ES256'] : inUse;
}

const instant = (date: Date | null) => (date === null ? '-' : date.toISOString());

function keyTable(keys: readonly SigningKeyView[]): string {
  return formatTable(
    ['KEY ID', 'ALG', 'STATUS', 'SIGNS FROM', 'RETIRES', 'LEAVES JWKS'],
    keys.map((key) => [key.id, key.alg, key.status, instant(key.activatesAt), instant(key.retiresAt), instant(key.expiresAt)]),
  );
}

export const keyCommands: CommandGroup = {
  rotate: {
    usage: 'keys rotate [--publish-ahead SECONDS] [--alg ES256|EdDSA|RS256]',
    summary: 'create the next key JWT access tokens are signed with (RFC 9068), published before it signs',
    details: [
      '--publish-ahead SECONDS   how long the new key is only published before it signs, so that every resource',
      '                          server learns it first; default 660 (the JWKS is cached 600 s, servers read the',
      '                          keys every 60 s); 0: it signs at once. The very first key signs at once.',
      '--alg ES256|EdDSA|RS256   rotate the key of this algorithm only (--algorithm is the same option);',
      '                          default: every algorithm that has a signing or pending key (access tokens\',',
      '                          and ID tokens\' with OpenID Connect, RS256 among them), ES256 on an empty',
      '                          database. Each algorithm keeps a key of its own, rotated on its own schedule.',
      '',
      `The operator key comes from ${ENCRYPTION_KEY_VARIABLE} (the server's signingKeys.encryptionKey:`,
      '32 random bytes, base64url); older ones, while changing it, from',
      `${PREVIOUS_ENCRYPTION_KEYS_VARIABLE} (comma-separated). Older keys retire when the new one signs`,
      'and stay in the JWKS 61 minutes more, until every token they signed has expired; "tokens purge-expired"',
      'deletes them after that. A key an earlier rotation published ahead to sign after the new one never',
      'signs: the newest rotation wins. Run it from cron (e.g. monthly).',
      '',
      'A rotation withdraws no key. After a suspected leak of a private signing key, --publish-ahead 0',
      'stops signing with it at once, but it stays in the JWKS 61 minutes more, and resource servers accept',
      'tokens signed with it, by anyone, until then (and as long as they cache the JWKS, 10 minutes, after).',
      'Withdrawing a key at once is not supported yet.',
    ],
    options: { 'publish-ahead': { type: 'string' }, alg: { type: 'string' }, algorithm: { type: 'string' } },
    async run(context) {
      expectPositionals(context.positionals, [], 'keys rotate');
      const publishAheadSeconds = publishAheadOption(stringOption(context.values, 'publish-ahead'));
      const alg = algorithmOption(stringOption(context.values, 'alg'), '--alg');
      const algorithm = algorithmOption(stringOption(context.values, 'algorithm'), '--algorithm');
      if (alg !== undefined && algorithm !== undefined && alg !== algorithm) throw new UsageError('--alg and --algorithm are one option: give one');
      const provider = await providerWithOperatorKey(context);
      const algorithms = alg !== undefined || algorithm !== undefined ? [(alg ?? algorithm)!] : algorithmsInUse(await provider.keys.list());
      const rotations: SigningKeyRotation[] = [];
      for (const each of algorithms) {
        rotations.push(await provider.keys.rotate({ ...(publishAheadSeconds === undefined ? {} : { publishAheadSeconds }), algorithm: each }));
      }
      const keys = await provider.keys.list();
      const lines = rotations.map(({ key, retired, cancelled }) => {
        const when = key.status === 'signing' ? 'signs from now on' : `is published now and signs from ${key.activatesAt.toISOString()}`;
        const retiredText = retired === 0 ? '' : ` ${retired} older key(s) retire then and stay in the JWKS until their tokens have expired.`;
        const cancelledText = cancelled === 0 ? '' : ` ${cancelled} key(s) an earlier rotation published ahead will never sign.`;
        return `Created signing key ${key.id} (${key.alg}): it ${when}.${retiredText}${cancelledText}`;
      });
      const sum = (field: 'retired' | 'cancelled') => rotations.reduce((total, rotation) => total + rotation[field], 0);
      return {
        human: [...lines, '', keyTable(keys)].join('\n'),
        json: { key: rotations[0]!.key, created: rotations.map((rotation) => rotation.key), retired: sum('retired'), cancelled: sum('cancelled'), keys },
      };
    },
  },

  list: {
    usage: 'keys list',
    summary: 'list the published signing keys of every algorithm: pending, signing, and retired until they leave the JWKS',
    details: ['Reads public halves only: no operator key needed.'],
    options: {},
    async run(context) {
      expectPositionals(context.positionals, [], 'keys list');
      const provider = await openProvider(context);
      const keys = await provider.keys.list();
      const human =
        keys.length === 0
          ? `No signing keys. The first JWT access token creates one; or create it with "oauth2-kit keys rotate" (${ENCRYPTION_KEY_VARIABLE} set).`
          : keyTable(keys);
      return { human, json: keys };
    },
  },
};

