/**
 * Statements on `oauth_consent_grants`, what each user approved for each client (OIDC Core
 * §3.1.2.4); the upsert is dialect-specific. Portable SQL with `$n` placeholders; the dialect
 * rewrites them.
 */
import type { ConsentGrantRecord } from '../../../core/index.js';

const COLUMNS = 'user_id, client_id, scope, audience, created_at, updated_at';

/** `findConsentGrant`: the grant of user $1 to client $2. */
export const SELECT_CONSENT_GRANT = `SELECT ${COLUMNS} FROM oauth_consent_grants WHERE user_id = $1 AND client_id = $2`;

/** Which grants a deletion or a listing names; a key left out (or undefined) matches every value. */
export type ConsentGrantFilter = Partial<{ userId: string; clientId: string }>;

/** The column each filter key compares. Only these names are ever put into a statement. */
const FILTER_COLUMNS = { userId: 'user_id', clientId: 'client_id' } as const;

/**
 * The filter as a condition, `$1…` its values, or `TRUE` when it names nothing. A value matches
 * exactly: MySQL's PAD SPACE collations also match `'x '` to `x`, and equal lengths rule that out
 * (a delete must not touch another user's grants).
 */
export function consentGrantCondition(filter: ConsentGrantFilter): { condition: string; values: string[] } {
  const named = (Object.keys(FILTER_COLUMNS) as Array<keyof typeof FILTER_COLUMNS>).filter((key) => filter[key] !== undefined);
  if (named.length === 0) return { condition: 'TRUE', values: [] };
  const condition = named
    .map((key, i) => `${FILTER_COLUMNS[key]} = $${i + 1} AND CHAR_LENGTH(${FILTER_COLUMNS[key]}) = CHAR_LENGTH($${i + 1})`)
    .join(' AND ');
  return { condition, values: named.map((key) => filter[key]!) };
}

/** `deleteConsentGrants`: the grants the condition (from {@link consentGrantCondition}) matches. */
export function deleteConsentGrantsWhere(condition: string): string {
  return `DELETE FROM oauth_consent_grants WHERE ${condition}`;
}

/** `listConsentGrants`: the grants the condition matches, ordered by user, then client. */
export function selectConsentGrantsWhere(condition: string): string {
  return `SELECT ${COLUMNS} FROM oauth_consent_grants WHERE ${condition} ORDER BY user_id, client_id`;
}

/** A grant's values in the order of the dialect's `upsertConsentGrant` parameters. */
export function consentGrantValues(grant: ConsentGrantRecord): unknown[] {
  return [grant.userId, grant.clientId, grant.scope, grant.audience, grant.createdAt, grant.updatedAt];
}
