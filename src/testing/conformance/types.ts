import type { OAuthProvider, OAuthProviderOptions } from '../../core/index.js';

/**
 * The assertions the suite uses, typed structurally so that an ava `ExecutionContext` fits
 * without the package depending on ava at runtime.
 */
export interface ConformanceAssertions {
  is(actual: unknown, expected: unknown, message?: string): unknown;
  not(actual: unknown, expected: unknown, message?: string): unknown;
  deepEqual(actual: unknown, expected: unknown, message?: string): unknown;
  true(actual: unknown, message?: string): unknown;
  false(actual: unknown, message?: string): unknown;
  truthy(actual: unknown, message?: string): unknown;
  falsy(actual: unknown, message?: string): unknown;
  regex(actual: string, regex: RegExp, message?: string): unknown;
  fail(message?: string): unknown;
  pass(message?: string): unknown;
  log(...values: unknown[]): void;
}

/** A test-declaring function such as ava's `test` or `test.serial`. */
export type ConformanceTestFunction = (title: string, implementation: (t: ConformanceAssertions) => Promise<void>) => void;

/** One freshly set-up provider under test, on an empty schema. */
export interface ConformanceSubject {
  /** A provider constructed with the options the suite passed to `setup`. */
  provider: OAuthProvider;
  /** Releases the database. Called once per test, also when it fails. */
  close(): Promise<void>;
  /** Storage round trips (queries) since the last reset; enables the cost checks. */
  countQueries?: () => number;
  resetQueryCount?: () => void;
  /** Every value of every row of every table as strings; enables the "nothing usable at rest" check. */
  dumpAllRows?: () => Promise<string[]> | string[];
}

/** What {@link runConformanceSuite} needs. */
export interface ConformanceSuiteOptions {
  /** Prefixes every test title, e.g. `sql/postgres`. */
  name: string;
  /**
   * Builds a provider on a fresh, empty, migrated database, constructed with exactly these
   * options (the suite injects its clock and a cheap password-hashing cost).
   */
  setup: (providerOptions: OAuthProviderOptions) => Promise<ConformanceSubject>;
}
