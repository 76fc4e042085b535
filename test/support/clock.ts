/** The fixed instant test clocks start at (oauth2-kit/testing's `TEST_CLOCK_START`). */
export { TEST_CLOCK_START as FIXED_TEST_INSTANT } from '../../src/testing/index.js';
