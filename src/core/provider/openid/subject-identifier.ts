import { createHmac } from 'node:crypto';
import type { ClientRecord } from '../../storage/records.js';
import { isLoopbackHost } from '../redirect-uri.js';

/** Why a client cannot be told a pairwise subject (OIDC Core §8.1). */
export class SubjectIdentifierError extends Error {
  override readonly name = 'SubjectIdentifierError';
}

/**
 * The `sub` a client is told for a user (OIDC Core §8): the user's id for a `public` client; for
 * a `pairwise` one, an identifier derived from the user's id and the client's sector, the same for
 * every client of that sector and unrelated across sectors, so that clients of different sectors
 * cannot correlate their users (OIDC Core §17.3). Derived as HMAC-SHA-256 under the provider's
 * pairwise secret of `sector NUL userId`, base64url (43 characters): OIDC Core §8.1 names a salted
 * hash; a keyed one cannot be recomputed by anyone who learns a user id.
 *
 * The ID token and the userinfo response use this one function, so that their `sub` agree
 * (OIDC Core §5.3.2).
 */
export function subjectFor(userId: string, client: Pick<ClientRecord, 'id' | 'subjectType' | 'sectorIdentifier' | 'redirectUris'>, pairwiseSecret: Buffer | null): string {
  if (client.subjectType !== 'pairwise') return userId;
  if (pairwiseSecret === null) {
    throw new SubjectIdentifierError(`client ${client.id} asks for pairwise subjects, but the provider has no openid.pairwiseSecret to derive them with`);
  }
  const sector = sectorOf(client);
  return createHmac('sha256', pairwiseSecret).update(`${sector}\u0000${userId}`, 'utf8').digest('base64url');
}

/**
 * The sector of a pairwise client (OIDC Core §8.1): its registered `sectorIdentifier`, else the
 * host of its redirect URIs, which must then all share one host, neither loopback nor absent.
 */
export function sectorOf(client: Pick<ClientRecord, 'id' | 'sectorIdentifier' | 'redirectUris'>): string {
  if (client.sectorIdentifier !== null) return client.sectorIdentifier;
  const hosts = new Set(client.redirectUris.map((uri) => new URL(uri).host));
  const who = client.id === '' ? 'the client' : `client ${client.id}`;
  if (hosts.size !== 1) {
    throw new SubjectIdentifierError(
      `${who} asks for pairwise subjects with redirect URIs on ${hosts.size === 0 ? 'no host' : `${hosts.size} hosts`}: register a sector identifier for it (OIDC Core §8.1)`,
    );
  }
  const host = [...hosts][0]!;
  // A private-use scheme has no host, and a loopback host is every native app's: neither names a
  // sector, and clients sharing one would see the same subjects (OIDC Core §8.1, §17.3).
  if (host === '' || isLoopbackHost(new URL(`http://${host}`).hostname)) {
    throw new SubjectIdentifierError(
      `${who} asks for pairwise subjects with redirect URIs on ${host === '' ? 'no host' : `the loopback host ${host}`}, which no sector owns: register a sector identifier for it (OIDC Core §8.1)`,
    );
  }
  return host;
}
