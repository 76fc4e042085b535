import type { Command } from './command.js';
import { expectPositionals } from './command-line.js';
import { describeLocation } from './database-location.js';
import { inspectPackages, type PackageState } from '../providers/installed-packages.js';
import { describeUnmet, inspectTask, installCommand, listUnmet, unmet, type TaskPackages } from './missing-packages.js';
import { applicationEntryPoints, DATABASE_NAMES, TASK_NAMES, type CliTask } from './required-packages.js';
import { inspectStorage, type StorageStatus } from './storage-status.js';

/**
 * `oauth2-kit doctor`: everything the CLI needs for the database the URL names, at once — the
 * packages of its commands and of `migrate` (all missing ones, with one install line), then the
 * database itself: reachable, migrated, tables present. Also says, for information, which of the
 * application's entry points have their packages. Exits 1 when anything the CLI needs is wrong.
 */

const TASKS: readonly CliTask[] = ['commands', 'migrate'];

/** An entry point of the application's code and whether its packages are there. */
interface EntryPointStatus {
  entryPoint: string;
  usable: boolean;
  packages: PackageState[];
  note?: string;
}

export const doctorCommand: Command = {
  usage: 'doctor',
  summary: 'check the packages and the database the CLI needs; name every missing package at once',
  details: [
    'Checks the packages of the CLI and of "migrate" for the database --database-url names, and prints one',
    'npm install line for all that are missing or at a version oauth2-kit does not accept. When the CLI',
    "can reach the database, it checks its migrations and tables. Exits 1 when anything is wrong. Also lists,",
    "for information, which entry points your application's code can import (oauth2-kit/sql, /prisma, /koa).",
  ],
  options: {},
  packages: 'none',
  async run(context) {
    expectPositionals(context.positionals, [], 'doctor');
    const database = context.location.kind;
    const tasks = TASKS.map((task) => inspectTask(task, database, context.resolvePackagesFrom));
    const toInstall = uniqueByName(tasks.flatMap((task) => unmet(task.packages)));
    const reachable = unmet(tasks[0]!.packages).length === 0;
    const storage = reachable ? await inspectStorage(context) : null;
    const application: EntryPointStatus[] = applicationEntryPoints(database).map(({ entryPoint, packages, note }) => {
      const states = inspectPackages(packages, context.resolvePackagesFrom);
      return { entryPoint, usable: unmet(states).length === 0, packages: states, ...(note === undefined ? {} : { note }) };
    });
    const ok = toInstall.length === 0 && storage !== null && storage.ok;

    const lines = [`database: ${describeLocation(context.location)}`];
    for (const task of tasks) lines.push(describeTask(task));
    if (toInstall.length > 0) lines.push(`install them with: ${installCommand(toInstall)}`);
    lines.push(...describeStorage(storage, tasks[0]!));
    lines.push("your application's imports (for information; the CLI does not need them):");
    for (const entry of application) lines.push(`  ${describeEntryPoint(entry)}`);
    lines.push(verdict(toInstall.length > 0, storage));

    return {
      human: lines.join('\n'),
      json: {
        database,
        location: describeLocation(context.location),
        ok,
        packages: Object.fromEntries(tasks.map((task) => [task.task, task.packages])),
        install: toInstall.length > 0 ? installCommand(toInstall) : null,
        storage: storage === null ? { checked: false } : { checked: true, ...storage },
        application,
      },
      exitCode: ok ? 0 : 1,
    };
  },
};

function verdict(packagesMissing: boolean, storage: StorageStatus | null): string {
  const todo = [
    ...(packagesMissing ? ['install the packages above'] : []),
    ...(storage !== null && !storage.ok ? ['fix the storage problem above'] : []),
  ];
  return todo.length === 0 ? 'all is well' : `not ready: ${todo.join(', then ')}`;
}

function uniqueByName(states: PackageState[]): PackageState[] {
  return [...new Map(states.map((state) => [state.name, state])).values()];
}

function installed(states: readonly PackageState[]): string {
  return states.map((state) => `${state.name} ${state.installed}`).join(', ');
}

function describeTask(task: TaskPackages): string {
  const problems = unmet(task.packages);
  if (problems.length > 0) return describeUnmet(task.task, task.database, problems);
  return `packages for ${TASK_NAMES[task.task]} on ${DATABASE_NAMES[task.database]}: ${installed(task.packages)}`;
}

function describeStorage(storage: StorageStatus | null, commands: TaskPackages): string[] {
  if (storage === null) {
    const names = unmet(commands.packages).map((state) => state.name);
    return [`storage: not checked: the CLI reaches ${DATABASE_NAMES[commands.database]} through ${names.join(', ')}`];
  }
  if (!storage.ok) return storage.problems.map((problem) => `storage: ${problem}`);
  return [`storage: ${storage.findings.join(', ')}`];
}

function describeEntryPoint(entry: EntryPointStatus): string {
  const problems = unmet(entry.packages);
  const state =
    problems.length === 0
      ? `usable (${installed(entry.packages)})`
      : `not usable without ${listUnmet(problems)} (${installCommand(problems)})`;
  return `${entry.entryPoint}: ${state}${entry.note === undefined ? '' : `; ${entry.note}`}`;
}
