import type { OAuthConsentGrantStorage } from '../../storage/consent-grant-port.js';
import type { ConsentGrantRecord } from '../../storage/records.js';
import type { OAuthRuntimeStorage } from '../../storage/runtime-port.js';
import { formatAudience, parseAudience } from '../resource-indicators.js';
import { formatScope, parseStoredScope } from '../scope.js';

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
  /** Tokens revoked with them (the user's tokens at those clients). */
  tokens: number;
}

/**
 * Remembered consent (OIDC Core §3.1.2.4): what each user approved for each client, so that an
 * authorization asking no more than that skips the consent page, and `prompt=none` can succeed.
 * Approvals accumulate (a later approval adds to the earlier one); revoking a grant also revokes
 * that user's tokens at that client, since consent withdrawn must stop what it allowed. Without
 * the consent-grant port nothing is remembered: `covers` is always false.
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
    if (this.storage === null) return false;
    const grant = await this.storage.findConsentGrant(userId, clientId);
    if (grant === null) return false;
    const scopes = new Set(parseStoredScope(grant.scope));
    const audience = new Set(parseAudience(grant.audience));
    return scope.every((name) => scopes.has(name)) && resources.every((id) => audience.has(id));
  }

  /** Adds an approval to what the user approved for the client before. */
  async remember(userId: string, clientId: string, scope: readonly string[], resources: readonly string[]): Promise<void> {
    if (this.storage === null) return;
    const now = this.now();
    const previous = await this.storage.findConsentGrant(userId, clientId);
    const scopes = [...new Set([...parseStoredScope(previous?.scope ?? null), ...scope])];
    const audience = [...new Set([...parseAudience(previous?.audience ?? null), ...resources])];
    await this.storage.saveConsentGrant({
      userId,
      clientId,
      scope: formatScope(scopes),
      audience: formatAudience(audience),
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
   * Withdraws a user's consent to one client (or to every client, without `clientId`) and revokes
   * the user's tokens at the clients it named.
   */
  async revoke(userId: string, clientId?: string): Promise<ConsentRevocation> {
    const now = this.now();
    const grants = this.storage === null ? [] : await this.storage.listConsentGrants(clientId === undefined ? { userId } : { userId, clientId });
    let tokens = 0;
    const clients = clientId === undefined ? grants.map((grant) => grant.clientId) : [clientId];
    for (const client of clients) tokens += await this.runtime.revokeTokens({ userId, clientId: client }, now);
    const deleted = this.storage === null ? 0 : await this.storage.deleteConsentGrants(clientId === undefined ? { userId } : { userId, clientId });
    return { grants: deleted, tokens };
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
