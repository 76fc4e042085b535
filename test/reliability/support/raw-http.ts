/**
 * Requests built byte by byte, for the garbage-input tests: repeated headers, any body bytes, any
 * content type or encoding — whatever `fetch` would normalise or refuse to send.
 */
import { request } from 'node:http';
import { HANG_LIMIT_MS, type Answer } from './http.js';

export interface RawRequest {
  method: string;
  /** Path and query, already encoded as they should go on the wire. */
  path: string;
  /** Header lines in order; a name may repeat. */
  headers: Array<[string, string]>;
  body?: Buffer;
}

/** Sends `raw` to `origin` and reads the whole answer. */
export function sendRaw(origin: string, raw: RawRequest): Promise<Answer> {
  const url = new URL(origin);
  // With headers given as raw lines Node adds none of its own: Host is required by HTTP/1.1.
  const headerLines: string[] = ['host', url.host];
  for (const [name, value] of raw.headers) headerLines.push(name, value);
  if (raw.body !== undefined) headerLines.push('content-length', String(raw.body.length));
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers: headerLines, timeout: HANG_LIMIT_MS },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') headers.set(name, value);
            else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
          }
          resolve({ status: response.statusCode ?? 0, headers, text, json });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${HANG_LIMIT_MS} ms`)));
    outgoing.on('error', reject);
    outgoing.end(raw.body);
  });
}

/** Percent-encodes every byte of the UTF-8 form of `text` that is not unreserved (lone surrogates become U+FFFD). */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9._~-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** `name=value&…` with every pair percent-encoded; names may repeat. */
export function formEncode(pairs: Array<[string, string]>): string {
  return pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}
