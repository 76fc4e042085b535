import type { ClientOpenIdInput, RegisteredClient } from '../core/index.js';
import { UsageError } from './cli-error.js';
import { listOption, stringOption, type OptionSpecs, type ParsedCommandLine } from './command-line.js';

/** The OpenID Connect options of `client create` and `client update`. */

export const OPENID_OPTIONS = {
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  'id-token-alg': { type: 'string' },
  'subject-type': { type: 'string' },
  'sector-identifier': { type: 'string' },
} as const satisfies OptionSpecs;

export const OPENID_FIELD_NAMES = {
  postLogoutRedirectUris: '--post-logout-redirect-uri',
  idTokenSignedResponseAlg: '--id-token-alg',
  subjectType: '--subject-type',
  sectorIdentifier: '--sector-identifier',
};

export const OPENID_CREATE_DETAILS = [
  '--post-logout-redirect-uri URI     where the client may send users after logout (OpenID Connect RP-Initiated',
  '                                   Logout §3.1; repeatable; by the rules of --redirect-uri)',
  "--id-token-alg ALG                 ES256, RS256 or EdDSA: its ID tokens' algorithm (default: the server's)",
  '--subject-type TYPE                public (default: the user id is its sub) or pairwise (a sub of its own',
  '                                   sector, OIDC Core §8; the server needs openid.pairwiseSecret)',
  '--sector-identifier HOST           the host pairwise subs are derived for (OIDC Core §8.1); needed when the',
  '                                   redirect URIs are on several hosts (default: their one host)',
];

export const OPENID_UPDATE_DETAILS = [
  '--post-logout-redirect-uri URI     replaces the post-logout redirect URIs (repeatable; "" for none)',
  '--id-token-alg ALG                 ES256, RS256 or EdDSA; "default" for the server\'s',
  '--subject-type TYPE                public or pairwise (OIDC Core §8): every sub the client is told changes',
  '--sector-identifier HOST           the host pairwise subs are derived for; "" for the redirect URIs\' host',
];

/**
 * The OpenID Connect settings the command line gives, for a create (`update` false: absent means
 * the default, so nothing is sent) or an update (absent: unchanged; `""` or `default` clears).
 */
export function openIdSettings(values: ParsedCommandLine['values'], update: boolean): ClientOpenIdInput {
  const settings: ClientOpenIdInput = {};
  if (values['post-logout-redirect-uri'] !== undefined) {
    settings.postLogoutRedirectUris = listOption(values, 'post-logout-redirect-uri').filter((uri) => !(update && uri === ''));
  }
  const alg = stringOption(values, 'id-token-alg');
  if (alg !== undefined) {
    if (update && alg === 'default') settings.idTokenSignedResponseAlg = null;
    else settings.idTokenSignedResponseAlg = alg as NonNullable<ClientOpenIdInput['idTokenSignedResponseAlg']>;
  }
  const subjectType = stringOption(values, 'subject-type');
  if (subjectType !== undefined) {
    if (subjectType !== 'public' && subjectType !== 'pairwise') throw new UsageError(`--subject-type must be public or pairwise, got ${JSON.stringify(subjectType)}`);
    settings.subjectType = subjectType;
  }
  const sector = stringOption(values, 'sector-identifier');
  if (sector !== undefined) settings.sectorIdentifier = update && sector === '' ? null : sector;
  return settings;
}

/** What `client show` prints of a client's OpenID Connect settings. */
export function describeOpenId(client: RegisteredClient): Array<[string, string]> {
  return [
    ['post-logout redirect URIs', client.postLogoutRedirectUris.join(' ') || '-'],
    ['ID token algorithm', client.idTokenSignedResponseAlg ?? 'server default'],
    ['subject', subjectOf(client)],
  ];
}

/** `public` or `pairwise (sector HOST)`, for `client show` and `client list`. */
function subjectOf(client: RegisteredClient): string {
  if (client.subjectType !== 'pairwise') return 'public';
  if (client.sectorIdentifier !== null) return `pairwise (sector ${client.sectorIdentifier})`;
  const hosts = [...new Set(client.redirectUris.map((uri) => new URL(uri).host))];
  return `pairwise (sector ${hosts.join(' ') || '-'}, its redirect URIs' host)`;
}
