import type { IncomingHttpHeaders } from 'node:http';
import { ClientMetadataError, unfetchedDocument } from './client-metadata-error.js';
import { vetHost } from './host-vetting.js';
import type { ClientMetadataSettings } from './metadata-document-options.js';
import { requestPinned } from './pinned-request.js';

/** A document as served: the body, unparsed, and the headers its caching is decided by. */
export interface FetchedDocument {
  /** Where the document was finally read (the client_id URL, unless a same-origin redirect was followed). */
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** `application/json`, or a more specific `application/<name>+json` (draft §4.1). */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/i;

/**
 * Fetches a client metadata document (draft-ietf-oauth-client-id-metadata-document-01 §4) with
 * the SSRF defences of §6.5–6.6: https only, every resolved address checked and the connection
 * pinned to a checked one, at most `maxBytes`, within `timeoutMs` for everything (resolution,
 * connection, reading, redirects). A redirect is an error unless `maxRedirects` allows it and it
 * stays on the same origin (https, same host and port), whose address is checked again. Only a
 * 200 with a JSON media type is a document (§4). Failures throw {@link ClientMetadataError}.
 */
export async function fetchDocument(url: URL, settings: ClientMetadataSettings): Promise<FetchedDocument> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
  try {
    let current = url;
    for (let redirects = 0; ; redirects += 1) {
      const pinned = await vetHost(current, settings, controller.signal);
      const response = await requestPinned(current, pinned, settings, controller.signal);
      if (REDIRECTS.has(response.status)) {
        current = redirectTarget(url, current, response.headers.location, redirects, settings.maxRedirects);
        continue;
      }
      if (response.status !== 200) {
        throw new ClientMetadataError('client_metadata_http_status', `${current.href} answered HTTP ${response.status}; a client metadata document is served with 200 (draft §4)`);
      }
      const mediaType = (response.headers['content-type'] ?? '').split(';', 1)[0]?.trim() ?? '';
      if (!JSON_MEDIA_TYPE.test(mediaType)) {
        throw new ClientMetadataError(
          'client_metadata_content_type',
          `${current.href} is served as ${mediaType === '' ? 'no content type' : JSON.stringify(mediaType)}; a client metadata document is application/json (draft §4.1)`,
        );
      }
      return { url: current, headers: response.headers, body: response.body.toString('utf8') };
    }
  } catch (error) {
    if (error instanceof ClientMetadataError) throw error;
    if (controller.signal.aborted) {
      throw new ClientMetadataError('client_metadata_timeout', `${url.href}: no complete document within ${settings.timeoutMs} ms`, { cause: error });
    }
    throw unfetchedDocument('client_metadata_unreachable', url, `could not be fetched (${describe(error)})`, error);
  } finally {
    clearTimeout(timer);
  }
}

/** A network or TLS error in one line: its code and what it says. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined || error.message.includes(code) ? error.message : `${code}: ${error.message}`;
}

/** Where a redirect leads, when it may be followed; else the reason it may not. */
function redirectTarget(first: URL, from: URL, location: string | undefined, followed: number, allowed: number): URL {
  const refuse = (reason: string) => new ClientMetadataError('client_metadata_redirect', `${first.href}: ${reason}`);
  if (allowed === 0) {
    throw refuse(`the server redirects (to ${JSON.stringify(location ?? '')}); redirects are not followed (draft §4)`);
  }
  if (followed >= allowed) throw refuse(`more than ${allowed} redirect${allowed === 1 ? '' : 's'}`);
  let target: URL;
  try {
    target = new URL(location ?? '', from);
  } catch {
    throw refuse(`a redirect to ${JSON.stringify(location)}, which is not a URL`);
  }
  if (location === undefined || target.protocol !== 'https:' || target.host !== from.host || target.username !== '' || target.password !== '') {
    throw refuse(`a redirect to ${JSON.stringify(target.href)}, another origin; only redirects within ${from.origin} are followed`);
  }
  return target;
}
