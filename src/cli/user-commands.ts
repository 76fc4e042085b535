import { DuplicateError } from '../core/index.js';
import { CommandError, UsageError } from './cli-error.js';
import type { CommandContext, CommandGroup } from './command.js';
import { expectPositionals, flag, stringOption } from './command-line.js';
import { openProvider } from './open-provider.js';
import { promptForNewPassword, readPasswordFromStdin } from './password-input.js';
import { formatFields } from './text-table.js';

/** `oauth2-kit user create|delete`: the default user store (`oauth_users`). */

/** The new user's password, from stdin, a prompt, or — discouraged — the command line. */
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
      '--password-stdin     read the password from standard input (for scripts)',
      '--password PASSWORD  take it from the command line (visible to other users: avoid)',
      'Without either, the password is asked for twice at the terminal, without echo.',
    ],
    fieldNames: { username: '--username', id: '--id', password: 'the password' },
    options: {
      username: { type: 'string' },
      id: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      password: { type: 'string' },
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

  delete: {
    usage: 'user delete <id>',
    summary: "revoke a user's tokens and delete the user",
    options: {},
    async run(context) {
      const [id] = expectPositionals(context.positionals, ['id'], 'user delete');
      const provider = await openProvider(context);
      if (!(await provider.users.delete(id!))) throw new CommandError(`no user with id "${id}"`);
      return { human: `Deleted user "${id}" and revoked their tokens.`, json: { id, deleted: true } };
    },
  },
};
