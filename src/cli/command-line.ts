import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error.js';

/**
 * Splits an `oauth2-kit` command line into its command words and options, with `node:util`
 * `parseArgs` in strict mode: an unknown flag, a missing value or a stray argument is a
 * {@link UsageError}, never silently ignored.
 */

/** The options of one command, in `parseArgs` form. */
export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** What a command line parsed to. */
export interface ParsedCommandLine {
  /** `['client', 'create']`, `['migrate']`; empty when only global options were given. */
  words: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Options every command accepts, before or after the command words. */
export const GLOBAL_OPTIONS = {
  'database-url': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

/**
 * Reads the leading global options and the command words, then parses what follows with the
 * chosen command's options (and the global ones) in strict mode.
 *
 * `commandLength(first)` says how many words the command starting with `first` has (1 for
 * `migrate`, 2 for `client create`), or 0 when `first` is no command; `commandOptions(words)` gives
 * that command's options, or undefined when the words name no command.
 */
export function parseCommandLine(
  argv: readonly string[],
  commandOptions: (words: string[]) => OptionSpecs | undefined,
  commandLength: (first: string) => number,
): ParsedCommandLine {
  let index = 0;
  const leading: string[] = [];
  // Global options may come first; a value-taking one consumes the next argument.
  while (index < argv.length && argv[index]!.startsWith('-') && argv[index] !== '--') {
    const arg = argv[index]!;
    const name = arg.replace(/^--?/, '').split('=')[0]!;
    const spec = Object.entries(GLOBAL_OPTIONS).find(([long, s]) => long === name || ('short' in s && s.short === name));
    if (!spec) throw new UsageError(`unknown option ${arg.split('=')[0]} (command options go after the command)`);
    leading.push(arg);
    if (spec[1].type === 'string' && !arg.includes('=')) {
      if (index + 1 >= argv.length) throw new UsageError(`option ${arg} needs a value`);
      leading.push(argv[index + 1]!);
      index += 1;
    }
    index += 1;
  }
  const words: string[] = [];
  const first = argv[index];
  if (first !== undefined && !first.startsWith('-')) {
    const size = commandLength(first);
    if (size === 0) throw new UsageError(`unknown command "${first}" (see oauth2-kit --help)`);
    words.push(first);
    index += 1;
    if (size === 2) {
      const second = argv[index];
      if (second !== undefined && !second.startsWith('-')) {
        words.push(second);
        index += 1;
      }
    }
  }
  const options = words.length === 0 ? {} : commandOptions(words);
  if (options === undefined && words.length === 2) {
    throw new UsageError(`unknown command "${words.join(' ')}" (see oauth2-kit ${words[0]} --help)`);
  }
  // A group without its subcommand (`oauth2-kit client`) parses global options only: the caller shows help.
  return { words, ...parse([...leading, ...argv.slice(index)], options ?? {}) };
}

function parse(args: string[], options: OptionSpecs): Omit<ParsedCommandLine, 'words'> {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...options },
      strict: true,
      allowPositionals: true,
    });
    return { values: { ...values }, positionals };
  } catch (error) {
    throw new UsageError(parseArgsMessage(error));
  }
}

/** parseArgs' messages carry advice for `--` that does not apply here; keep their first sentence. */
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstSentence = message.split(/\. |\n/)[0]!.replace(/\.$/, '');
  return firstSentence.charAt(0).toLowerCase() + firstSentence.slice(1);
}

/** A non-negative whole number of seconds from an option, or undefined when absent. */
export function secondsOption(values: ParsedCommandLine['values'], name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw) || Number(raw) === 0) {
    throw new UsageError(`--${name} must be a positive whole number of seconds, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** A string option's value, or undefined. */
export function stringOption(values: ParsedCommandLine['values'], name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** A repeatable string option's values (empty when absent). */
export function listOption(values: ParsedCommandLine['values'], name: string): string[] {
  const raw = values[name];
  return Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
}

/**
 * Scope names from a repeatable option whose values may each hold several, space-delimited as in
 * a `scope` parameter (RFC 6749 §3.3): `--scope "read write"` is `--scope read --scope write`,
 * and `--default-scope ""` names none.
 */
export function scopeListOption(values: ParsedCommandLine['values'], name: string): string[] {
  return listOption(values, name).flatMap((value) => value.split(' ').filter((scope) => scope !== ''));
}

/** Whether a boolean flag was given. */
export function flag(values: ParsedCommandLine['values'], name: string): boolean {
  return values[name] === true;
}

/** Exactly the expected positional arguments, by name, or a {@link UsageError}. */
export function expectPositionals(positionals: string[], names: readonly string[], command: string): string[] {
  if (positionals.length < names.length) {
    throw new UsageError(`${command} needs ${names.slice(positionals.length).map((n) => `<${n}>`).join(' ')}`);
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])} for ${command}`);
  }
  return positionals;
}
