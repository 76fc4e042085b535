/**
 * HTTP calls of the reliability tests. Every call carries an abort deadline far above any
 * configured timeout: a request that hangs fails its test with a clear message instead of stalling
 * the run.
 */

/** Far above every timeout the tests configure; reaching it means the server hung. */
export const HANG_LIMIT_MS = 30_000;

export interface Answer {
  status: number;
  headers: Headers;
  /** The raw body text. */
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POSTs a form (or, with `json`, a JSON object). */
export async function post(
  url: string,
  parameters: Record<string, string>,
  options: { authorization?: string; json?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  if (options.json) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: options.json ? JSON.stringify(parameters) : new URLSearchParams(parameters),
    signal: AbortSignal.timeout(HANG_LIMIT_MS),
  });
  return answerOf(response);
}

/** GETs a URL with a bearer token. */
export async function getWithBearer(url: string, accessToken: string): Promise<Answer> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${accessToken}` },
    signal: AbortSignal.timeout(HANG_LIMIT_MS),
  });
  return answerOf(response);
}

/** An HTTP Basic `Authorization` value (RFC 6749 §2.3.1: both parts form-encoded first). */
export function basic(clientId: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}
