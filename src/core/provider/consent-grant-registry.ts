import { ValidationError } from '../errors.js';
import { mayBeStoredClientId } from './client-metadata/client-id-url.js';
import type { Credentials } from './credentials.js';
import { isUserId } from './input-limits.js';
import type { ConsentGrant, ConsentRevocation } from './openid/consent-grants.js';

/** Which consent grants {@link ConsentGrantRegistry.list} shows: a user's, a client's, one user's at one client, or all. */
export interface ConsentGrantFilter {
  userId?: string;
  clientId?: string;
}

/**
 * The management API for remembered consent (`provider.grants`): what each user approved for
 * each client (OIDC Core §3.1.2.4), which lets a later authorization asking no more skip the
 * consent page. Revoking consent also revokes the user's tokens at the clients it named: consent
 * withdrawn must stop what it allowed. A storage without the consent-grant port remembers no
 * consent: `list` is empty and `revoke` revokes only the tokens of a named client.
 */
export class ConsentGrantRegistry {
  /** @internal */
  constructor(private readonly credentials: Credentials) {}

  /** Whether the storage remembers consent at all (it has the consent-grant port). */
  get enabled(): boolean {
    return this.credentials.consentGrants.enabled;
  }

  /** The grants of a user, of a client, of both together, or all of them; ordered by user, then client. */
  async list(filter: ConsentGrantFilter = {}): Promise<ConsentGrant[]> {
    if (typeof filter !== 'object' || filter === null) throw new ValidationError('filter', 'must be an object: { userId?, clientId? }');
    const { userId, clientId } = filter;
    if (userId !== undefined) assertString(userId, 'userId');
    if (clientId !== undefined) assertString(clientId, 'clientId');
    // An id no storage could hold has no grants; it is never sent to the database.
    if ((userId !== undefined && !isUserId(userId)) || (clientId !== undefined && !mayBeStoredClientId(clientId))) return [];
    return this.credentials.consentGrants.list({
      ...(userId === undefined ? {} : { userId }),
      ...(clientId === undefined ? {} : { clientId }),
    });
  }

  /**
   * Withdraws a user's consent to one client, or to every client without `clientId`, spends the
   * user's authorization codes not yet exchanged there, and revokes the user's tokens at each
   * client it named, at once. Returns how many grants, codes and token issuances went; zeros when
   * there was nothing to withdraw.
   */
  async revoke(userId: string, clientId?: string): Promise<ConsentRevocation> {
    assertString(userId, 'userId');
    if (clientId !== undefined) assertString(clientId, 'clientId');
    if (!isUserId(userId) || (clientId !== undefined && !mayBeStoredClientId(clientId))) return { grants: 0, codes: 0, tokens: 0 };
    return this.credentials.consentGrants.revoke(userId, clientId);
  }
}

function assertString(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') throw new ValidationError(field, 'must be a string');
}
