import { escapeHtml } from './html-escaping.js';
import { PAGE_STYLESHEET } from './page-stylesheet.js';
import type { AuthorizationPageTemplate, ConsentPageView, ErrorPageView } from './page-views.js';

/** A complete document around already-escaped body HTML (the logout pages share it). */
export function documentHtml(title: string, nonce: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style nonce="${escapeHtml(nonce)}">${PAGE_STYLESHEET}</style>
</head>
<body>
<main>
${bodyHtml}
</main>
</body>
</html>
`;
}

function scopeList(view: ConsentPageView): string {
  if (view.scopes.length === 0) {
    return '<li><span>Know that you signed in (no further access requested)</span></li>';
  }
  return view.scopes
    .map(({ name, description }) =>
      description === null
        ? `<li><span class="scope-name">${escapeHtml(name)}</span></li>`
        : `<li><span>${escapeHtml(description)}</span><span class="scope-name">${escapeHtml(name)}</span></li>`,
    )
    .join('\n');
}

/** The resources the access is for, when the request named any. */
function resourceList(view: ConsentPageView): string {
  if (view.resources.length === 0) return '';
  const items = view.resources
    .map(({ id, name }) => `<li><span>${escapeHtml(name)}</span><span class="scope-name">${escapeHtml(id)}</span></li>`)
    .join('\n');
  return `<p class="resources-lead">with these services only:</p>
<ul class="scopes resources">
${items}
</ul>
`;
}

/**
 * Who is asking, for the heading and the lead: the client's name, or for a client known by its
 * metadata document its URL's host, with the name it gives itself marked as its own claim.
 */
function askingParty(view: ConsentPageView): { title: string; html: string; lead: string } {
  const name = escapeHtml(view.client.name);
  if (view.client.host === null) {
    return { title: view.client.name, html: name, lead: `<span class="client">${name}</span> wants to access your account.` };
  }
  const host = escapeHtml(view.client.host);
  return {
    title: view.client.host,
    html: host,
    lead: `An application at <span class="client">${host}</span>, which calls itself <span class="client">${name}</span>, wants to access your account. Its name is its own claim: this server has not checked it. Continue only if you expected to sign in to ${host}.`,
  };
}

function consent(view: ConsentPageView): string {
  const asking = askingParty(view);
  const client = asking.html;
  const hidden = view.hiddenFields
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const alert = view.message === null ? '' : `<p class="alert" role="alert" id="form-message">${escapeHtml(view.message)}</p>`;
  const described = view.message === null ? '' : ' aria-describedby="form-message"';
  const { decision, username, password } = view.fieldNames;
  const signedIn = view.signedInAs;
  // Signed in already (OIDC Core §3.1.2.3): only consent is asked, no password.
  const credentials =
    signedIn === null
      ? `<label for="username">Username</label>
<input type="text" id="username" name="${escapeHtml(username)}" value="${escapeHtml(view.username)}" autocomplete="username" autocapitalize="none" spellcheck="false" required${described}${view.username === '' ? ' autofocus' : ''}>
<label for="password">Password</label>
<input type="password" id="password" name="${escapeHtml(password)}" autocomplete="current-password" required${described}${view.username === '' ? '' : ' autofocus'}>`
      : `<p class="signed-in">Signed in as <strong>${escapeHtml(signedIn.username)}</strong></p>`;
  const heading = signedIn === null ? 'Sign in to continue to' : 'Continue to';
  // The approve button comes first: pressing Enter in a field submits the first button.
  return documentHtml(
    `${heading} ${asking.title}`,
    view.nonce,
    `<h1>${heading} <span class="client">${client}</span></h1>
<p class="lead">${asking.lead}</p>
${alert}
<form method="post" action="${escapeHtml(view.formAction)}">
${hidden}
${credentials}
<fieldset>
<legend>${client} will be able to</legend>
<ul class="scopes">
${scopeList(view)}
</ul>
${resourceList(view)}</fieldset>
<p class="return">Afterwards you will be sent back to <strong>${escapeHtml(view.returnTo)}</strong>.</p>
<div class="actions">
<button type="submit" class="primary" name="${escapeHtml(decision)}" value="approve"${signedIn === null ? '' : ' autofocus'}>${signedIn === null ? 'Sign in and allow' : 'Allow'}</button>
<button type="submit" name="${escapeHtml(decision)}" value="deny" formnovalidate>Deny</button>
</div>
</form>`,
  );
}

function error(view: ErrorPageView): string {
  return documentHtml(
    view.title,
    view.nonce,
    `<h1>${escapeHtml(view.title)}</h1>
<p class="alert" role="alert">${escapeHtml(view.message)}</p>
<p class="detail">Error <code>${escapeHtml(view.error)}</code>: ${escapeHtml(view.errorDescription)}</p>`,
  );
}

/** The built-in pages: one sign-in and consent form, and an error page. No scripts. */
export const defaultAuthorizationPageTemplate: AuthorizationPageTemplate = { consent, error };
