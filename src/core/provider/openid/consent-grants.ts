import type { OAuthConsentGrantStorage } from '../../storage/consent-grant-port.js';
import type { ConsentGrantRecord } from '../../storage/records.js';
import type { OAuthRuntimeStorage } from '../../storage/runtime-port.js';
import { formatAudience, parseAudience } from '../resource-indicators.js';
import { formatScope, isSubset, parseStoredScope } from '../scope.js';

/** A user's standing consent to a client, as the management API shows it. */
export interface ConsentGrant {
  userId: string;
  clientId: string;
  /** The scopes approved. */
  scope: string[];
  /** The resources approved (RFC 8707). */
  resources: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** What revoking consent ended. */
export interface ConsentRevocation {
  /** Consent grants deleted. */
  grants: number;
  /**
   * Authorization codes spent with them: the user's codes at those clients that were issued but
   * not yet exchanged, which the token endpoint now refuses (`invalid_grant`). Always 0 without
   * the consent-grant port.
   */
  codes: number;
  /** Tokens revoked with them (the user's tokens at those clients). */
  tokens: number;
}

/**
 * Remembered consent (OIDC Core §3.1.2.4): what each user approved for each client, so that an
 * authorization asking no more than that skips the consent page, and `prompt=none` can succeed.
 *
 * A grant is one product of scopes and resources — every scope approved for every resource, or
 * for tokens asked for no resource (`audience` null) — because that is what a consent page shows
 * and the user approves at once. A later approval is merged in only while the product stays one
 * the user approved (same resources: the scopes add up; same scopes: the resources add up; one
 * approval containing the other: the larger); otherwise it replaces the grant. Keeping a union of
 * scopes and a union of resources instead would let `write` approved for one API and `read` for
 * another silently cover `write` at the second.
 *
 * Revoking a grant deletes it first, then spends that user's codes not yet exchanged at that
 * client, then revokes the user's tokens there: consent withdrawn must stop what it allowed, an
 * approval racing the revocation finds no grant, and a code issued under the consent cannot be
 * redeemed for tokens the revocation would miss.
 * Without the consent-grant port nothing is remembered: `covers` is always false.
 */
export class ConsentGrants {
  constructor(
    private readonly storage: OAuthConsentGrantStorage | null,
    private readonly runtime: Pick<OAuthRuntimeStorage, 'revokeTokens'>,
    private readonly now: () => Date,
  ) {}

  /** Whether consent is remembered at all. */
  get enabled(): boolean {
    return this.storage !== null;
  }

  /** Whether the user has approved at least these scopes and resources for the client. */
  async covers(userId: string, clientId: string, scope: readonly string[], resources: readonly string[]): Promise<boolean> {
    if (this.storage === null || !isRememberable(userId)) return false;
    const grant = await this.storage.findConsentGrant(userId, clientId);
    if (grant === null) return false;
    const scopes = new Set(parseStoredScope(grant.scope));
    const audience = parseAudience(grant.audience);
    // Tokens for no resource were approved as such, not by an approval naming resources.
    if ((resources.length === 0) !== (audience.length === 0)) return false;
    return scope.every((name) => scopes.has(name)) && resources.every((id) => audience.includes(id));
  }

  /** Adds an approval to what the user approved for the client before. */
  async remember(userId: string, clientId: string, scope: readonly string[], resources: readonly string[]): Promise<void> {
    if (this.storage === null || !isRememberable(userId)) return;
    const now = this.now();
    const previous = await this.storage.findConsentGrant(userId, clientId);
    const merged = mergedApproval(
      previous === null ? null : { scope: parseStoredScope(previous.scope), resources: parseAudience(previous.audience) },
      { scope: [...new Set(scope)], resources: [...new Set(resources)] },
    );
    await this.storage.saveConsentGrant({
      userId,
      clientId,
      scope: formatScope(merged.scope),
      audience: formatAudience(merged.resources),
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    });
  }

  /** The grants of a user, of a client, or all of them, ordered by user then client. */
  async list(filter: { userId?: string; clientId?: string } = {}): Promise<ConsentGrant[]> {
    if (this.storage === null) return [];
    const selector = {
      ...(filter.userId === undefined ? {} : { userId: filter.userId }),
      ...(filter.clientId === undefined ? {} : { clientId: filter.clientId }),
    };
    return (await this.storage.listConsentGrants(selector)).map(toConsentGrant);
  }

  /**
   * Withdraws a user's consent to one client (or to every client, without `clientId`), spends the
   * user's codes not yet exchanged there, and revokes the user's tokens at the clients it named.
   */
  async revoke(userId: string, clientId?: string): Promise<ConsentRevocation> {
    const now = this.now();
    const selector = clientId === undefined ? { userId } : { userId, clientId };
    const grants = this.storage === null ? [] : await this.storage.listConsentGrants(selector);
    // The grant goes first: an approval arriving meanwhile asks again instead of minting tokens
    // that the revocation below would then miss.
    const deleted = this.storage === null ? 0 : await this.storage.deleteConsentGrants(selector);
    // Then the codes, before the tokens (OIDC Core §3.1.2.4): a code issued under the consent and
    // not yet exchanged would otherwise buy tokens for up to its lifetime. Spent, it is refused
    // like a replayed code (RFC 6749 §4.1.2). Without `clientId`, every client's codes: one issued
    // under a consent not remembered (no grant row) was still approved by this user.
    const codes = this.storage === null ? 0 : await this.storage.consumeAuthorizationCodes(userId, clientId, now);
    let tokens = 0;
    const clients = clientId === undefined ? grants.map((grant) => grant.clientId) : [clientId];
    for (const client of clients) tokens += await this.runtime.revokeTokens({ userId, clientId: client }, now);
    return { grants: deleted, codes, tokens };
  }
}

function toConsentGrant(record: ConsentGrantRecord): ConsentGrant {
  return {
    userId: record.userId,
    clientId: record.clientId,
    scope: parseStoredScope(record.scope),
    resources: parseAudience(record.audience),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** An approval: these scopes for these resources (none: tokens asked for no resource). */
interface Approval {
  scope: readonly string[];
  resources: readonly string[];
}

/**
 * What is remembered after `next` is approved, `previous` having been: still one product of
 * scopes and resources that the user approved as a whole (see {@link ConsentGrants}).
 */
export function mergedApproval(previous: Approval | null, next: Approval): Approval {
  if (previous === null) return next;
  const sameResources = sameSet(previous.resources, next.resources);
  if (sameResources) return { scope: union(previous.scope, next.scope), resources: next.resources };
  const sameScope = sameSet(previous.scope, next.scope);
  // Resources add up only between approvals that both name some: "no resource" is its own kind.
  if (sameScope && previous.resources.length > 0 && next.resources.length > 0) {
    return { scope: next.scope, resources: union(previous.resources, next.resources) };
  }
  const contains = (a: Approval, b: Approval) =>
    (a.resources.length === 0) === (b.resources.length === 0) && isSubset(b.scope, a.scope) && isSubset(b.resources, a.resources);
  if (contains(previous, next)) return previous;
  return next;
}

/**
 * Whether a user's consent may be remembered: not for an id with leading or trailing spaces,
 * which MySQL's PAD SPACE collations would file under another user's key (an application's own
 * user store may allow such ids; the default store's are UUIDs).
 */
function isRememberable(userId: string): boolean {
  return userId.trim() === userId;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && isSubset(a, b) && isSubset(b, a);
}
