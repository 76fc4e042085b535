/**
 * Statements on `oauth_attempt_counters`. Portable SQL with `$n` placeholders; the upsert and the
 * purge differ between databases and live in the dialects.
 *
 * `key` is a reserved word in MySQL, and PostgreSQL does not know MySQL's backticks. A reserved
 * word after a period is an identifier in MySQL, so the column is always named qualified
 * (`c.key`), which is the same text on both.
 */

/** The counter `$1`, whether or not its window has ended (the read-back after an add). */
export const SELECT_ATTEMPT_COUNTER = 'SELECT c.points, c.expires_at FROM oauth_attempt_counters c WHERE c.key = $1';

/** The counter `$1` while its window, which ends at `expires_at`, is still open at `$2`. */
export const SELECT_LIVE_ATTEMPT_COUNTER = `${SELECT_ATTEMPT_COUNTER} AND c.expires_at > $2`;

export const DELETE_ATTEMPT_COUNTER = 'DELETE FROM oauth_attempt_counters WHERE oauth_attempt_counters.key = $1';
