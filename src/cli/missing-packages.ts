import { CommandError } from './cli-error.js';
import { inspectPackages, type PackageState } from '../providers/installed-packages.js';
import { cliPackages, DATABASE_NAMES, TASK_NAMES, type CliTask, type DatabaseKind } from './required-packages.js';

/**
 * Names every package a CLI task lacks at once, with one `npm install` line for all of them, so
 * that an operator installs once instead of meeting one `Cannot find package` after another.
 */

/** What a task needs on a database, and what was found. */
export interface TaskPackages {
  task: CliTask;
  database: DatabaseKind;
  packages: PackageState[];
}

/** The packages `task` needs on `database`, inspected from `from` (default: this package's root). */
export function inspectTask(task: CliTask, database: DatabaseKind, from?: string): TaskPackages {
  return { task, database, packages: inspectPackages(cliPackages(task, database), from) };
}

/** The packages that are missing or at a version our peer range refuses. */
export function unmet(packages: readonly PackageState[]): PackageState[] {
  return packages.filter((state) => state.status !== 'ok');
}

/**
 * `missing packages for migrate on PostgreSQL: @prisma/adapter-pg, @prisma/schema-engine-wasm
 * (7.10.0-7.… required)`: each unmet package, with the version wanted when it matters (an exact
 * one, or any one when the installed version is refused).
 */
export function describeUnmet(task: CliTask, database: DatabaseKind, problems: readonly PackageState[]): string {
  const heading = problems.some((state) => state.status === 'mismatched') ? 'missing or mismatched packages' : 'missing packages';
  return `${heading} for ${TASK_NAMES[task]} on ${DATABASE_NAMES[database]}: ${listUnmet(problems)}`;
}

/** `pg, @prisma/schema-engine-wasm (7.10.0-7.… required, 7.9.0 installed)`. */
export function listUnmet(problems: readonly PackageState[]): string {
  return problems.map(describeOne).join(', ');
}

function describeOne(state: PackageState): string {
  if (state.status === 'missing') return state.exact ? `${state.name} (${state.required} required)` : state.name;
  return `${state.name} (${state.required} required, ${state.installed ?? 'a version without a readable package.json'} installed)`;
}

/**
 * One `npm install` line for all of them, each with our range (the exact version of the engine),
 * so that it installs versions our peers accept even once a later major is `latest`.
 */
export function installCommand(problems: readonly PackageState[]): string {
  const specs = [...new Map(problems.map((state) => [state.name, `${state.name}@${state.required}`])).values()];
  return `npm install ${specs.join(' ')}`;
}

/** A task cannot run for lack of packages; the message names all of them and how to install them. */
export class MissingPackagesError extends CommandError {
  constructor(readonly unmet: TaskPackages) {
    super(`${describeUnmet(unmet.task, unmet.database, unmet.packages)}; install them with: ${installCommand(unmet.packages)}`);
  }
}

/**
 * Throws a {@link MissingPackagesError} when `task` lacks any package on `database`: called before
 * the task imports anything, so that the first import failure does not hide the others.
 */
export function assertTaskPackages(task: CliTask, database: DatabaseKind, from?: string): void {
  const inspected = inspectTask(task, database, from);
  const problems = unmet(inspected.packages);
  if (problems.length > 0) throw new MissingPackagesError({ ...inspected, packages: problems });
}
