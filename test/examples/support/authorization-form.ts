/**
 * What a browser does with the sign-in page: load it, keep its cookie, and post its hidden fields
 * back with the user's answer.
 */
import { hiddenFieldsOf } from '../../authorize/support/consent-form.js';

/** The page's form as a browser would post it, before the user fills it in. */
export interface ShownForm {
  /** The `Cookie` header the browser would send back. */
  cookie: string;
  /** The page's hidden fields (the authorization request and its CSRF token). */
  fields: URLSearchParams;
}

/** Loads the sign-in page at `authorizeUrl`; throws unless it is shown (200 with a cookie). */
export async function showAuthorizationForm(authorizeUrl: string, fetchFn: typeof fetch = fetch): Promise<ShownForm> {
  // Not followed: a redirect here is the server refusing the request, which the caller must see.
  const page = await fetchFn(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  const setCookie = page.headers.get('set-cookie');
  if (page.status !== 200 || setCookie === null) {
    throw new Error(`no sign-in page at ${authorizeUrl}: ${page.status} ${page.headers.get('location') ?? ''}\n${html}`);
  }
  return { cookie: setCookie.split(';')[0]!, fields: new URLSearchParams(hiddenFieldsOf(html)) };
}

/** Posts `form` with the user's name, password and decision to `{baseUrl}/auth/authorize`, not following the redirect. */
export function submitAuthorizationForm(
  baseUrl: string,
  form: ShownForm,
  answer: { username: string; password: string; decision: 'approve' | 'deny' },
  fetchFn: typeof fetch = fetch,
): Promise<Response> {
  const body = new URLSearchParams(form.fields);
  for (const [name, value] of Object.entries(answer)) body.append(name, value);
  return fetchFn(`${baseUrl}/auth/authorize`, { method: 'POST', headers: { cookie: form.cookie }, body, redirect: 'manual' });
}
