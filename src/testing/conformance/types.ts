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

type ConformanceImplementation = (t: ConformanceAssertions) => Promise<void>;

/**
 * A test-declaring function such as ava's `test` or `test.serial` (pass either as it is): the suite
 * declares its tests with it, and with its `skip` the tests a subject declares it cannot support.
 */
export interface ConformanceTestFunction {
  (title: string, implementation: ConformanceImplementation): void;
  skip(title: string, implementation: ConformanceImplementation): void;
}

/** One freshly set-up provider under test, on an empty schema. */
export interface ConformanceSubject {
  /** A provider constructed with the options the suite passed to `setup`. */
  provider: OAuthProvider;
  /** Releases the database. Called once per test, also when it fails. */
  close(): Promise<void>;
  /**
   * Storage round trips (queries) since the last reset, for the query-cost tests. Required, with
   * `resetQueryCount`, unless the suite runs with `countsQueries: false`.
   */
  countQueries?: () => number;
  /** Starts the count of `countQueries` again from zero. Required unless `countsQueries: false`. */
  resetQueryCount?: () => void;
  /**
   * Every value of every row of every table as strings, for the "nothing usable at rest" test.
   * Required unless the suite runs with `inspectsRows: false`.
   */
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
  /**
   * False when the storage cannot show what it stores: the "a dump of every table holds no usable
   * credential" test is then registered as skipped, with the reason in its title. Default true:
   * `setup` must return `dumpAllRows`, or that test fails saying so.
   */
  inspectsRows?: boolean;
  /**
   * False when the storage cannot count its round trips: the query-cost tests are then registered
   * as skipped, with the reason in their titles. Default true: `setup` must return `countQueries`
   * and `resetQueryCount`, or those tests fail saying so.
   */
  countsQueries?: boolean;
  /**
   * False when the storage implements no resource port (`OAuthResourceStorage`, RFC 8707 resource
   * indicators): the tests that register resources are then registered as skipped, with the reason
   * in their titles, and the suite checks instead that every `resource` parameter is refused
   * `invalid_target`. Default true: `provider.resources` must work, or those tests fail saying so.
   */
  storesResources?: boolean;
  /**
   * False when the storage implements no client-registration port (`OAuthClientRegistrationStorage`:
   * clients that register themselves, RFC 7591): the dynamic-registration tests are then
   * registered as skipped, with the reason in their titles. Default true: a provider built with
   * `dynamicRegistration` must work, or those tests fail saying so.
   */
  storesClientRegistrations?: boolean;
  /**
   * False when the storage implements no signing-key port (`OAuthSigningKeyStorage`, the keys of
   * RFC 9068 JWT access tokens): the JWT tests are then registered as skipped, with the reason in
   * their titles, and the suite checks instead that a resource cannot be defined with
   * `tokenFormat: 'jwt'`. Default true: `provider.keys` must work, or those tests fail saying so.
   */
  storesSigningKeys?: boolean;
}

/** What a subject may be unable to do, as {@link ConformanceSuiteOptions} declares it. */
export type ConformanceCapability = 'inspectsRows' | 'countsQueries' | 'storesResources' | 'storesSigningKeys' | 'storesClientRegistrations';
