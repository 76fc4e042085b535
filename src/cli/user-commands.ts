import type { OAuthProvider, StoredUser } from '../core/index.js';
import { DuplicateError } from '../core/index.js';
import { CommandError, UsageError } from './cli-error.js';
import type { CommandContext, CommandGroup } from './command.js';
import { expectPositionals, flag, stringOption } from './command-line.js';
import { openProvider } from './open-provider.js';
import { promptForNewPassword, readPasswordFromStdin } from './password-input.js';
import { formatFields, formatTable } from './text-table.js';

/** `oauth2-kit user create|list|show|set-password|delete`: the default user store (`oauth_users`). */

/** The options that say how a user is addressed, for `user show`, `user set-password` and `user delete`. */
const ADDRESS_OPTIONS = { id: { type: 'string' }, username: { type: 'string' } } as const;

const ADDRESS_DETAILS = [
  '<id-or-username>     the user\'s id or, when no user has that id, their username',
  '--id ID              address the user by id only',
  '--username NAME      address the user by username only (matched exactly)',
];

/**
 * The user a command addresses: `--id`, `--username`, or one argument looked up by id first,
 * then by username. An argument that is one user's id and another user's username is refused:
 * acting on either could be the wrong user.
 */
async function addressedUser(context: CommandContext, command: string): Promise<{ provider: OAuthProvider; user: StoredUser }> {
  const byIdOnly = stringOption(context.values, 'id');
  const byUsernameOnly = stringOption(context.values, 'username');
  const given = [byIdOnly, byUsernameOnly].filter((value) => value !== undefined).length + context.positionals.length;
  if (given === 0) throw new UsageError(`${command} needs <id-or-username>, --id ID or --username NAME`);
  if (given > 1) {
    throw new UsageError(
      context.positionals.length > 1
        ? `unexpected argument ${JSON.stringify(context.positionals[1])} for ${command}`
        : `${command} takes one of <id-or-username>, --id or --username`,
    );
  }
  const provider = await openProvider(context);
  if (byIdOnly !== undefined) {
    const user = await provider.users.get(byIdOnly);
    if (user === null) throw new CommandError(`no user with id "${byIdOnly}"`);
    return { provider, user };
  }
  if (byUsernameOnly !== undefined) {
    const user = await provider.users.findByUsername(byUsernameOnly);
    if (user === null) throw new CommandError(`no user named "${byUsernameOnly}"`);
    return { provider, user };
  }
  const address = context.positionals[0]!;
  const byId = await provider.users.get(address);
  const byUsername = await provider.users.findByUsername(address);
  if (byId !== null && byUsername !== null && byId.id !== byUsername.id) {
    const word = shellWord(address);
    throw new CommandError(
      `"${address}" is both the id of user "${byId.username}" and the username of the user with id "${byUsername.id}": ` +
        `say which with --id ${word} or --username ${word}`,
    );
  }
  const user = byId ?? byUsername;
  if (user === null) throw new CommandError(`no user with id or username "${address}"`);
  return { provider, user };
}

/** `value` as one shell word, quoted only when it needs to be. */
function shellWord(value: string): string {
  return /^[\w.@:+=,/-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

function describeUser(user: StoredUser): string {
  return formatFields([
    ['id', user.id],
    ['username', user.username],
    ['created', user.createdAt.toISOString()],
    ['updated', user.updatedAt.toISOString()],
  ]);
}

/** How a new password is given, for `user create` and `user set-password`. */
const PASSWORD_OPTIONS = { 'password-stdin': { type: 'boolean' }, password: { type: 'string' } } as const;

const PASSWORD_DETAILS = [
  '--password-stdin     read the password from standard input (for scripts)',
  '--password PASSWORD  take it from the command line (visible to other users: avoid)',
  'Without either, the password is asked for twice at the terminal, without echo.',
  'The password must be 8 to 1024 characters long (NIST SP 800-63B).',
];

/** A new password, from stdin, a prompt, or — discouraged — the command line. */
async function newPassword(context: CommandContext): Promise<string> {
  const fromStdin = flag(context.values, 'password-stdin');
  const visible = stringOption(context.values, 'password');
  if (fromStdin && visible !== undefined) throw new UsageError('give either --password-stdin or --password, not both');
  if (fromStdin) return readPasswordFromStdin();
  if (visible !== undefined) {
    context.warn('--password exposes the password to the process list and shell history; prefer --password-stdin');
    return visible;
  }
  return promptForNewPassword();
}

export const userCommands: CommandGroup = {
  create: {
    usage: 'user create --username NAME [--id ID] [--password-stdin]',
    summary: 'create a user; the password is read from stdin or a prompt',
    details: [
      '--username NAME      login name, matched exactly (required)',
      '--id ID              user id recorded on tokens (default: a random UUID)',
      ...PASSWORD_DETAILS,
    ],
    fieldNames: { username: '--username', id: '--id', password: 'the password' },
    options: {
      username: { type: 'string' },
      id: { type: 'string' },
      ...PASSWORD_OPTIONS,
    },
    async run(context) {
      expectPositionals(context.positionals, [], 'user create');
      const username = stringOption(context.values, 'username');
      if (username === undefined) throw new UsageError('user create needs --username');
      const id = stringOption(context.values, 'id');
      const password = await newPassword(context);
      const provider = await openProvider(context);
      const user = await provider.users.create({ username, password, ...(id === undefined ? {} : { id }) }).catch((error: unknown) => {
        if (error instanceof DuplicateError) {
          throw new CommandError(error.entity === 'username' ? `a user named "${username}" already exists` : `a user with id "${id}" already exists`);
        }
        throw error;
      });
      return {
        human: [`Created user "${user.username}".`, formatFields([['id', user.id], ['created', user.createdAt.toISOString()]])].join('\n'),
        json: user,
      };
    },
  },

  list: {
    usage: 'user list',
    summary: 'list every user by username (never their password hashes)',
    options: {},
    async run(context) {
      expectPositionals(context.positionals, [], 'user list');
      const provider = await openProvider(context);
      const users = await provider.users.list();
      const human =
        users.length === 0
          ? 'No users. Create one with "oauth2-kit user create --username NAME".'
          : formatTable(['ID', 'USERNAME', 'CREATED'], users.map((u) => [u.id, u.username, u.createdAt.toISOString()]));
      return { human, json: users };
    },
  },

  show: {
    usage: 'user show <id-or-username> | --id ID | --username NAME',
    summary: 'show a user (never the password hash)',
    details: ADDRESS_DETAILS,
    options: ADDRESS_OPTIONS,
    async run(context) {
      const { user } = await addressedUser(context, 'user show');
      return { human: describeUser(user), json: user };
    },
  },

  'set-password': {
    usage: 'user set-password <id-or-username> | --id ID | --username NAME [--password-stdin] [--keep-tokens]',
    summary: "set a user's password and revoke their tokens; the password is read from stdin or a prompt",
    details: [
      ...ADDRESS_DETAILS,
      ...PASSWORD_DETAILS,
      '--keep-tokens        keep the user\'s tokens (by default every one is revoked, so that',
      '                     whoever used the old password is signed out at their next request)',
    ],
    fieldNames: { password: 'the password' },
    options: { ...ADDRESS_OPTIONS, ...PASSWORD_OPTIONS, 'keep-tokens': { type: 'boolean' } },
    async run(context) {
      const { provider, user } = await addressedUser(context, 'user set-password');
      const password = await newPassword(context);
      const keepTokens = flag(context.values, 'keep-tokens');
      if (!(await provider.users.setPassword(user.id, password, { revokeTokens: !keepTokens }))) {
        throw new CommandError(`no user with id "${user.id}"`);
      }
      return {
        human: `Set the password of user "${user.username}" (id ${user.id})${keepTokens ? '; their tokens are kept.' : ' and revoked their tokens.'}`,
        json: { id: user.id, username: user.username, passwordSet: true, tokensRevoked: !keepTokens },
      };
    },
  },

  delete: {
    usage: 'user delete <id-or-username> | --id ID | --username NAME',
    summary: "revoke a user's tokens, end their sign-in sessions, forget their consent, and delete the user",
    details: ADDRESS_DETAILS,
    options: ADDRESS_OPTIONS,
    async run(context) {
      const { provider, user } = await addressedUser(context, 'user delete');
      if (!(await provider.users.delete(user.id))) throw new CommandError(`no user with id "${user.id}"`);
      return {
        human: `Deleted user "${user.username}" (id ${user.id}) and revoked their tokens.`,
        json: { id: user.id, username: user.username, deleted: true },
      };
    },
  },
};
