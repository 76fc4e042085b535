import type { Command } from './command.js';
import { commandEntry, commands, isCommand, lookupCommand } from './command-registry.js';

/** Help for the words given: one command, a group, or everything. */
export function helpText(words: readonly string[]): string {
  const command = lookupCommand(words);
  const entry = commandEntry(words[0]);
  const lines: string[] = [];
  if (command !== undefined) {
    lines.push(`Usage: oauth2-kit ${command.usage}`, '', `  ${command.summary}`, ...(command.details ?? []).map((d) => (d === '' ? '' : `  ${d}`)), '');
  } else if (entry !== undefined && !isCommand(entry)) {
    lines.push(`Usage: oauth2-kit ${words[0]} <command> [options]`, '');
    for (const member of Object.values(entry)) lines.push(...commandSummary(member), '');
  } else {
    lines.push('Usage: oauth2-kit [--database-url URL] [--json] <command> [options]', '', 'Commands:');
    for (const value of Object.values(commands)) {
      for (const member of isCommand(value) ? [value] : Object.values(value)) {
        lines.push(`  ${commandWords(member).padEnd(22)} ${member.summary}`);
      }
    }
    lines.push(
      '',
      'Run "oauth2-kit <command> --help" for its options, and "oauth2-kit doctor" to find every package',
      'the CLI lacks for your database (with one npm install line) and check the database itself.',
      '',
    );
  }
  lines.push(
    'Global options:',
    '  --database-url URL   postgresql://…, mysql://…, mariadb://… or pglite:FOLDER',
    '                       (default: $DATABASE_URL, else the embedded database in .data/pglite)',
    '  --json               print results as JSON, for scripts',
    '  -h, --help           show help',
    '',
  );
  return lines.join('\n');
}

/** `client show <id>` → `client show`: the words before any argument or option. */
function commandWords(command: Command): string {
  const words: string[] = [];
  for (const token of command.usage.split(' ')) {
    if (/^[-<[]/.test(token)) break;
    words.push(token);
  }
  return words.join(' ');
}

function commandSummary(command: Command): string[] {
  return [`  oauth2-kit ${command.usage}`, `      ${command.summary}`];
}
