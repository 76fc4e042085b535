import { fetchIssuerJson, parseIssuerFacingUrl } from './issuer-fetch.js';
import { IssuerDocument } from './issuer-document.js';
import { IssuerUnavailableError } from './issuer-unavailable-error.js';

/**
 * An authorization server's metadata (RFC 8414) as a resource server reads it: fetched once, the
 * first time an endpoint it names is needed, and kept (the endpoints of an issuer do not move
 * under a running resource server; restart it if they do).
 */

/** The endpoints a resource server reads from the metadata. */
export type IssuerEndpoint = 'jwks_uri' | 'introspection_endpoint';

/**
 * RFC 8414 §3.1: the well-known string goes between the issuer's host and its path, any final "/"
 * of the path removed (`https://auth.example.com/tenant` →
 * `https://auth.example.com/.well-known/oauth-authorization-server/tenant`).
 */
export function authorizationServerMetadataUrl(issuer: URL): string {
  return `${issuer.origin}/.well-known/oauth-authorization-server${issuer.pathname.replace(/\/+$/, '')}`;
}

export class IssuerMetadata {
  readonly url: string;
  readonly #document: IssuerDocument<Record<string, unknown>>;

  constructor(
    readonly issuer: string,
    issuerUrl: URL,
    timeoutMs: number,
    cooldownMs: number,
  ) {
    const url = authorizationServerMetadataUrl(issuerUrl);
    this.url = url;
    this.#document = new IssuerDocument(async () => {
      const metadata = await fetchIssuerJson('metadata_unavailable', 'Authorization server metadata', url, timeoutMs);
      // RFC 8414 §3.3: the issuer in the document must be the one the URL was built from, or the
      // document speaks for another server (and so would the keys it names).
      if (metadata['issuer'] !== issuer) {
        throw new IssuerUnavailableError(
          'metadata_unavailable',
          url,
          `Authorization server metadata ${url} names the issuer ${JSON.stringify(metadata['issuer'])}, not ${JSON.stringify(issuer)} (RFC 8414 §3.3)`,
        );
      }
      return metadata;
    }, cooldownMs);
  }

  /** The URL of `endpoint` the metadata names; an {@link IssuerUnavailableError} when it names none that is usable. */
  async endpoint(endpoint: IssuerEndpoint, nowMs: number): Promise<string> {
    const value = (await this.#document.get(nowMs))[endpoint];
    try {
      return parseIssuerFacingUrl(value, endpoint).href;
    } catch (error) {
      const reason = value === undefined ? `names no ${endpoint}` : `names an unusable ${endpoint}: ${(error as Error).message}`;
      throw new IssuerUnavailableError('metadata_unavailable', this.url, `Authorization server metadata ${this.url} ${reason}`);
    }
  }
}
