import { judgeAddress, type JudgedAddress } from './address-policy.js';
import { unfetchedDocument } from './client-metadata-error.js';
import { lookupsBusy } from './lookup-gate.js';
import { canonicalHost, type ClientMetadataSettings } from './metadata-document-options.js';

/** Most addresses looked at for one host: a resolver answering thousands is not a host we fetch from. */
const MAX_ADDRESSES = 32;

/**
 * Resolves the host of `url` once and checks every address it has (draft §6.5): one refused
 * address refuses the host, since the connection could otherwise land on it. Returns the checked
 * addresses, in the resolver's order — the fetch connects to them and nowhere else, so that a
 * second resolution (DNS rebinding) cannot swap them for others.
 *
 * The URL's host as written — a name, or an IP literal — skips the rules when `allowHosts` lists
 * it: that is how development servers on loopback or private addresses are reached. What a name
 * resolves to is never looked up in the list: with `127.0.0.1` listed, any name whose owner points
 * it at 127.0.0.1 would reach every port of the loopback interface.
 */
export async function vetHost(url: URL, settings: ClientMetadataSettings, signal: AbortSignal): Promise<JudgedAddress[]> {
  const host = canonicalHost(url.hostname);
  const literal = judgeAddress(host);
  const judged = literal ? [literal] : await resolveAll(url, settings, signal);
  const hostAllowed = settings.allowHosts.has(host);
  for (const address of judged) {
    if (address.refusal !== null && !hostAllowed) {
      const resolved = literal ? '' : ` resolves to ${address.address}, which`;
      throw unfetchedDocument(
        'client_metadata_forbidden_address',
        url,
        `${url.hostname}${resolved} is ${address.refusal}; client metadata documents are fetched from public addresses only (draft §6.5)`,
      );
    }
  }
  return judged;
}

async function resolveAll(url: URL, settings: ClientMetadataSettings, signal: AbortSignal): Promise<JudgedAddress[]> {
  const { hostname } = url;
  const failed = (detail: string, cause?: unknown) => unfetchedDocument('client_metadata_dns_failed', url, detail, cause);
  // The lookup runs to its end in its slot even when the fetch stops waiting for it.
  const lookup = settings.lookups.start(() => settings.lookup(hostname));
  if (lookup === null) throw lookupsBusy(url);
  let answer: ReadonlyArray<{ address: string }>;
  try {
    answer = await abortable(lookup, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    const reason = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? String(error);
    throw failed(`${hostname} does not resolve (${reason})`, error);
  }
  if (!Array.isArray(answer) || answer.length === 0) throw failed(`${hostname} resolves to no address`);
  if (answer.length > MAX_ADDRESSES) throw failed(`${hostname} resolves to ${answer.length} addresses, more than the ${MAX_ADDRESSES} checked`);
  return answer.map(({ address }) => {
    const judged = judgeAddress(String(address));
    if (judged === null) throw failed(`${hostname} resolves to ${JSON.stringify(address)}, which is not an IP address`);
    return judged;
  });
}

/** `promise`, or a rejection as soon as `signal` aborts (the lookup itself cannot be cancelled). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
