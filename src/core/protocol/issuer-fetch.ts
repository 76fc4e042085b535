import { IssuerUnavailableError, type IssuerUnavailableCode } from './issuer-unavailable-error.js';
import { isLoopbackHost } from './protected-resource-urls.js';

/**
 * How a resource server talks to its authorization server: a JSON document fetched over https
 * (plain http on loopback, for development), within a time limit and a size limit, without
 * following redirects (the URLs are configured or come from the issuer's own metadata; a redirect
 * elsewhere is not the issuer speaking). Every failure becomes an {@link IssuerUnavailableError}
 * whose message names the URL and the cause.
 */

/** Documents larger than this are refused: a key set or a metadata document is a few kilobytes. */
const MAX_DOCUMENT_BYTES = 512 * 1024;

/**
 * Checks a URL option of a resource server (an issuer, a JWKS or introspection URL): absolute,
 * `https` (plain `http` only on a loopback host), no credentials, no fragment. Throws a TypeError
 * naming the option.
 */
export function parseIssuerFacingUrl(value: unknown, option: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError(`${option} must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (typeof value !== 'string') throw new TypeError(`${option} must be a URL string`);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new TypeError(`${option} must use https (http only on a loopback host, for development), got ${JSON.stringify(value)}`);
  }
  if (url.username !== '' || url.password !== '') throw new TypeError(`${option} must not carry a user name or password`);
  if (value.includes('#')) throw new TypeError(`${option} must not have a fragment`);
  return url;
}

/** What to send, beyond a plain GET. */
export interface IssuerRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Fetches the JSON object at `url`. `what` names the document in messages ("JWKS",
 * "authorization server metadata"…). Anything but `200` with a JSON object is a failure.
 */
export async function fetchIssuerJson(
  code: IssuerUnavailableCode,
  what: string,
  url: string,
  timeoutMs: number,
  request: IssuerRequest = {},
): Promise<Record<string, unknown>> {
  const failure = (reason: string, cause?: unknown) => new IssuerUnavailableError(code, url, `${what} ${url} could not be fetched: ${reason}`, { cause });
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? 'GET',
      headers: { accept: 'application/json', ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw failure(causeOf(error, timeoutMs), error);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    throw failure(`it answered HTTP ${response.status}${redirect}`);
  }
  let text: string;
  try {
    text = await boundedText(response);
  } catch (error) {
    throw failure(causeOf(error, timeoutMs), error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw failure('the answer is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw failure('the answer is not a JSON object');
  return json as Record<string, unknown>;
}

/** The body as text, refused beyond {@link MAX_DOCUMENT_BYTES}. */
async function boundedText(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_DOCUMENT_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`the answer is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  }
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_DOCUMENT_BYTES) throw new Error(`the answer is larger than ${MAX_DOCUMENT_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A readable cause: the network error under `fetch failed`, or the time-out. */
function causeOf(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return inner instanceof Error ? inner.message : String(inner);
}
