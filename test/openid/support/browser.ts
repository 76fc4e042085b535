/**
 * A browser, as far as the OpenID Connect tests need one: a cookie jar kept across requests (the
 * sign-in session and the form binding), redirects not followed (the test reads where it is sent),
 * and every request recorded for the transcript.
 */
import { hiddenFieldsOf } from '../../authorize/support/consent-form.js';

export interface RecordedRequest {
  who: string;
  method: string;
  url: string;
  status: number;
}

/** Records `METHOD URL → STATUS` lines, query values elided (codes, tokens, hints). */
export class Transcript {
  readonly requests: RecordedRequest[] = [];

  record(who: string, method: string, url: string, status: number): void {
    const parsed = new URL(url);
    for (const name of [...parsed.searchParams.keys()]) parsed.searchParams.set(name, '…');
    this.requests.push({ who, method, url: decodeURIComponent(parsed.href), status });
  }

  /** A fetch that records what `who` (the relying party's library) sends. */
  fetchFor(who: string): typeof fetch {
    return async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(input, init);
      this.record(who, request.method, request.url, response.status);
      return response;
    };
  }

  toString(): string {
    return this.requests.map(({ who, method, url, status }) => `${who.padEnd(8)} ${method.padEnd(5)} ${url} → ${status}`).join('\n');
  }
}

export class Browser {
  readonly #cookies = new Map<string, string>();

  constructor(private readonly transcript?: Transcript) {}

  /** Whether the jar holds a cookie whose name ends with `suffix`. */
  hasCookie(suffix: string): boolean {
    return [...this.#cookies.keys()].some((name) => name.endsWith(suffix));
  }

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (cookie !== '') headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.#keep(line);
    this.transcript?.record('browser', init.method ?? 'GET', String(url), response.status);
    return response;
  }

  /** GETs `url`; the Location it is redirected to, or null when it answered with a page. */
  async visit(url: string | URL): Promise<{ response: Response; location: URL | null }> {
    const response = await this.request(url);
    const location = response.headers.get('location');
    return { response, location: location === null ? null : new URL(location, url) };
  }

  /** Posts a page's form (its hidden fields plus `answer`) to `action`; the Location, if any. */
  async submit(action: string, html: string, answer: Record<string, string>): Promise<{ response: Response; location: URL | null }> {
    const body = new URLSearchParams(hiddenFieldsOf(html));
    for (const [name, value] of Object.entries(answer)) body.set(name, value);
    const response = await this.request(action, { method: 'POST', body });
    const location = response.headers.get('location');
    return { response, location: location === null ? null : new URL(location, action) };
  }

  #keep(line: string): void {
    const [pair, ...attributes] = line.split(';');
    const at = pair!.indexOf('=');
    const name = pair!.slice(0, at).trim();
    const value = pair!.slice(at + 1).trim();
    const expires = attributes.map((part) => part.trim()).find((part) => part.toLowerCase().startsWith('expires='));
    const expired = expires !== undefined && new Date(expires.slice(8)).getTime() <= Date.now();
    if (value === '' || expired) this.#cookies.delete(name);
    else this.#cookies.set(name, value);
  }
}
