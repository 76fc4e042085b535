import type { OptionSpecs, ParsedCommandLine } from './command-line.js';
import type { DatabaseConnection } from './database-connection.js';
import type { DatabaseLocation } from './database-location.js';
import type { CliTask } from './required-packages.js';

/** What a command hands back: text for people and a value for `--json`. */
export interface CommandResult {
  /** Lines printed by default (without `--json`). */
  human: string;
  /** Printed as JSON with `--json`. */
  json: unknown;
  /** 1 for a result that reports a problem (e.g. `doctor` finding one); default 0. */
  exitCode?: 0 | 1;
}

/** What a command runs with. */
export interface CommandContext {
  location: DatabaseLocation;
  /** Opens the database (the command closes nothing: the CLI does when the command ends). */
  open(options?: { createEmbedded?: boolean }): Promise<DatabaseConnection>;
  /** Writes a warning line to stderr (never to stdout, which may be parsed). */
  warn(message: string): void;
  values: ParsedCommandLine['values'];
  positionals: string[];
  /** The folder optional packages are resolved from (this package's root unless the caller chose one). */
  resolvePackagesFrom: string;
}

/** One CLI command, e.g. `client create`. */
export interface Command {
  /** The synopsis after `oauth2-kit`, e.g. `client show <id>`. */
  usage: string;
  /** One line for the command list. */
  summary: string;
  /** Further help lines: each option and what it does. */
  details?: string[];
  options: OptionSpecs;
  /**
   * How the core's field names (in `ValidationError`s) are spelled on this command line, e.g.
   * `redirectUris` → `--redirect-uri`, so that a refusal names what the operator typed.
   */
  fieldNames?: Record<string, string>;
  /**
   * Which packages the command loads on the chosen database (required-packages.ts), checked before
   * it runs so that every missing one is named at once: `commands` unless said otherwise; `none`
   * for a command that inspects them itself.
   */
  packages?: CliTask | 'none';
  run(context: CommandContext): Promise<CommandResult>;
}

/** Commands of a group by subcommand (`create`, `list`, …), or a single command. */
export type CommandGroup = Record<string, Command>;
