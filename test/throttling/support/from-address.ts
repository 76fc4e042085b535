/**
 * HTTP from a chosen loopback address. Linux routes all of 127.0.0.0/8 to the loopback interface,
 * so a test can be two network parties: the victim at 127.0.0.1, the attacker at 127.0.0.2.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import { hiddenFieldsOf } from '../../authorize/support/consent-form.js';

export const VICTIM = '127.0.0.1';
export const ATTACKER = '127.0.0.2';

/** Far above any delay the tests configure; reaching it means the server hung. */
const HANG_LIMIT_MS = 30_000;

const agents = new Map<string, Agent>();
function agentFor(address: string): Agent {
  let agent = agents.get(address);
  if (!agent) {
    agent = new Agent({ localAddress: address });
    agents.set(address, agent);
  }
  return agent;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** A request from `address`; never follows redirects. */
export async function requestFrom(
  address: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; form?: Record<string, string> | URLSearchParams; json?: unknown } = {},
): Promise<Answer> {
  const hasBody = init.form !== undefined || init.json !== undefined;
  const response = await undiciFetch(url, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    ...(init.form ? { body: init.form instanceof URLSearchParams ? init.form : new URLSearchParams(init.form) } : {}),
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    redirect: 'manual',
    dispatcher: agentFor(address),
    signal: AbortSignal.timeout(HANG_LIMIT_MS),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers as unknown as Headers, text, json };
}

/** An HTTP Basic `Authorization` value (RFC 6749 §2.3.1: both parts form-encoded first). */
export function basic(clientId: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** A sign-in form as a browser at `address` got it: its cookie and hidden fields. */
export interface OpenedForm {
  address: string;
  authorizeUrl: string;
  cookie: string;
  fields: Array<[string, string]>;
}

/** GETs the authorization page from `address` (every field of the request in `parameters`). */
export async function openSignIn(address: string, authorizeUrl: string, parameters: Record<string, string>): Promise<OpenedForm> {
  const url = `${authorizeUrl}?${new URLSearchParams(parameters)}`;
  const response = await undiciFetch(url, { dispatcher: agentFor(address), redirect: 'manual', signal: AbortSignal.timeout(HANG_LIMIT_MS) });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`the sign-in page answered ${response.status}: ${html.slice(0, 200)}`);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('oauth2kit-form='))?.split(';')[0];
  if (!cookie) throw new Error('the sign-in page set no form cookie');
  return { address, authorizeUrl, cookie, fields: hiddenFieldsOf(html) };
}

/** Posts the opened form with a username and password, approving. The same form may be posted again. */
export function signIn(form: OpenedForm, username: string, password: string): Promise<Answer> {
  return requestFrom(form.address, form.authorizeUrl, {
    headers: { cookie: form.cookie },
    form: new URLSearchParams([...form.fields, ['username', username], ['password', password], ['decision', 'approve']]),
  });
}
