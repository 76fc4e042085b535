import { CommandError } from './cli-error.js';
import type { CommandGroup } from './command.js';
import { expectPositionals, stringOption } from './command-line.js';
import { openProvider } from './open-provider.js';
import { formatTable } from './text-table.js';

/** `oauth2-kit scope define|list|delete`: the scope catalogue clients are granted from. */
export const scopeCommands: CommandGroup = {
  define: {
    usage: 'scope define <name> [--description TEXT]',
    summary: 'add a scope to the catalogue, or change its description',
    options: { description: { type: 'string' } },
    fieldNames: { name: '<name>', description: '--description' },
    async run(context) {
      const [name] = expectPositionals(context.positionals, ['name'], 'scope define');
      const description = stringOption(context.values, 'description');
      const provider = await openProvider(context);
      await provider.scopes.define(name!, description ?? null);
      return { human: `Defined scope "${name}".`, json: { name, description: description ?? null } };
    },
  },

  list: {
    usage: 'scope list',
    summary: 'list the scope catalogue',
    options: {},
    async run(context) {
      expectPositionals(context.positionals, [], 'scope list');
      const provider = await openProvider(context);
      const scopes = await provider.scopes.list();
      const human =
        scopes.length === 0
          ? 'No scopes. Define one with "oauth2-kit scope define <name>".'
          : formatTable(['NAME', 'DESCRIPTION'], scopes.map((s) => [s.name, s.description ?? '']));
      return { human, json: scopes };
    },
  },

  delete: {
    usage: 'scope delete <name>',
    summary: 'delete a scope and take it away from every client',
    options: {},
    async run(context) {
      const [name] = expectPositionals(context.positionals, ['name'], 'scope delete');
      const provider = await openProvider(context);
      if (!(await provider.scopes.delete(name!))) throw new CommandError(`no scope named "${name}"`);
      return { human: `Deleted scope "${name}" and removed it from every client.`, json: { name, deleted: true } };
    },
  },
};
