import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { JudgedAddress } from './address-policy.js';
import { ClientMetadataError } from './client-metadata-error.js';

/** What one GET answered: the body only for a 200, and at most `maxBytes` of it. */
export interface PinnedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Settings of one request. */
export interface PinnedRequestSettings {
  maxBytes: number;
  ca: Array<string | Buffer> | undefined;
}

/**
 * One HTTPS GET of `url`, connected to the `pinned` addresses and nowhere else: the host name goes
 * into SNI, certificate verification and `Host` as usual, but the socket is opened to an address
 * that was checked (a `lookup` that answers them: all of them, in order, when Node tries several
 * as its family autoselection does; the first otherwise), so that no second resolution can swap
 * them. No connection
 * pooling (`agent: false`): a pooled socket could have been opened to another address. Nothing but
 * the status and headers is read unless the status is 200; a body beyond `maxBytes` (announced or
 * counted as it arrives) ends the request.
 */
export function requestPinned(url: URL, pinned: readonly JudgedAddress[], settings: PinnedRequestSettings, signal: AbortSignal): Promise<PinnedResponse> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    const [first] = pinned;
    if (first === undefined) callback(Object.assign(new Error('no checked address to connect to'), { code: 'ENOTFOUND' }), []);
    else if (options.all) callback(null, pinned.map(({ address, family }) => ({ address, family })));
    else callback(null, first.address, first.family);
  };
  return new Promise<PinnedResponse>((resolve, reject) => {
    const tooLarge = () =>
      new ClientMetadataError('client_metadata_too_large', `${url.href}: the document is larger than ${settings.maxBytes} bytes (draft §6.6)`);
    const outgoing = request(
      url,
      {
        method: 'GET',
        agent: false,
        lookup,
        signal,
        ...(settings.ca === undefined ? {} : { ca: settings.ca }),
        // No Accept-Encoding: the document comes as it is, so its size is what is counted.
        headers: { accept: 'application/json' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const { headers } = response;
        if (status !== 200) {
          response.destroy();
          resolve({ status, headers, body: Buffer.alloc(0) });
          return;
        }
        const announced = Number(headers['content-length']);
        if (Number.isFinite(announced) && announced > settings.maxBytes) {
          reject(tooLarge());
          response.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > settings.maxBytes) {
            reject(tooLarge());
            response.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status, headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('the connection closed before the document was complete')));
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}
