/**
 * The clock tests give a provider (its `now` option): it stands still at a fixed instant until the
 * test moves it, so that a run decides every expiry the same way whatever the day, the machine's
 * speed or a pause in the middle of a test.
 */

/** Where every test clock starts unless told otherwise. */
export const TEST_CLOCK_START: Date = new Date('2030-01-01T00:00:00.000Z');

/** A clock the test moves forward by hand. */
export interface TestClock {
  /** The current instant (a fresh Date each call). */
  now(): Date;
  /** Moves the clock forward by `seconds` (fractions allowed). */
  advance(seconds: number): void;
}

/** A clock standing at `start` (default {@link TEST_CLOCK_START}) until advanced. */
export function createTestClock(start: Date = TEST_CLOCK_START): TestClock {
  let instant = start.getTime();
  return {
    now: () => new Date(instant),
    advance: (seconds) => {
      instant += seconds * 1000;
    },
  };
}
