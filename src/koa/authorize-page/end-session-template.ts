import { defaultAuthorizationPageTemplate, documentHtml } from './default-template.js';
import type { EndSessionConfirmView, EndSessionDoneView, EndSessionPageTemplate } from './end-session-views.js';
import { escapeHtml } from './html-escaping.js';

function confirm(view: EndSessionConfirmView): string {
  const hidden = view.hiddenFields.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('\n');
  const lead =
    view.client === null
      ? 'A request asks to sign you out of this server.'
      : `<span class="client">${escapeHtml(view.client.name)}</span> asks to sign you out of this server.`;
  const returnTo = view.returnTo === null ? '' : `<p class="return">Afterwards you will be sent back to <strong>${escapeHtml(view.returnTo)}</strong>.</p>`;
  const decision = escapeHtml(view.decisionField);
  return documentHtml(
    'Sign out?',
    view.nonce,
    `<h1>Sign out?</h1>
<p class="lead">${lead} Applications you signed in to with it may keep you signed in on their side.</p>
<form method="post" action="${escapeHtml(view.formAction)}">
${hidden}
${returnTo}
<div class="actions">
<button type="submit" class="primary" name="${decision}" value="logout" autofocus>Sign out</button>
<button type="submit" name="${decision}" value="stay">Stay signed in</button>
</div>
</form>`,
  );
}

function done(view: EndSessionDoneView): string {
  const title = view.signedOut ? 'You are signed out' : 'You are still signed in';
  const lead = view.signedOut ? 'You can close this window.' : 'Nothing changed. You can close this window.';
  return documentHtml(title, view.nonce, `<h1>${title}</h1>\n<p class="lead">${lead}</p>`);
}

/** The built-in logout pages: a confirmation form, the outcome, and the authorization page's error page. No scripts. */
export const defaultEndSessionPageTemplate: EndSessionPageTemplate = { confirm, done, error: defaultAuthorizationPageTemplate.error };
