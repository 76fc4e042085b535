import { clientCommands } from './client-commands.js';
import type { Command, CommandGroup } from './command.js';
import { doctorCommand } from './doctor-command.js';
import { grantCommands } from './grant-commands.js';
import { keyCommands } from './key-commands.js';
import { migrateCommand } from './migrate-command.js';
import { resourceCommands } from './resource-commands.js';
import { scopeCommands } from './scope-commands.js';
import { tokenCommands } from './token-commands.js';
import { userCommands } from './user-commands.js';

/** Every command, by its first word; groups hold their subcommands. */
export const commands: Readonly<Record<string, Command | CommandGroup>> = {
  migrate: migrateCommand,
  doctor: doctorCommand,
  client: clientCommands,
  scope: scopeCommands,
  resource: resourceCommands,
  user: userCommands,
  grants: grantCommands,
  tokens: tokenCommands,
  keys: keyCommands,
};

/** The entry for a first word; own properties only, so `toString` or `__proto__` name nothing. */
export function commandEntry(first: string | undefined): Command | CommandGroup | undefined {
  return first !== undefined && Object.hasOwn(commands, first) ? commands[first] : undefined;
}

export function isCommand(entry: Command | CommandGroup): entry is Command {
  return typeof (entry as Command).run === 'function';
}

/** How many words a command starting with `first` has: 1, 2 for a group, 0 when there is none. */
export function commandLength(first: string): number {
  const entry = commandEntry(first);
  return entry === undefined ? 0 : isCommand(entry) ? 1 : 2;
}

/** The command these words name, or undefined (unknown, or a group without its subcommand). */
export function lookupCommand(words: readonly string[]): Command | undefined {
  const entry = commandEntry(words[0]);
  if (entry === undefined) return undefined;
  if (isCommand(entry)) return words.length === 1 ? entry : undefined;
  return words[1] === undefined || !Object.hasOwn(entry, words[1]) ? undefined : entry[words[1]];
}
