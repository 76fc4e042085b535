import type { RegisteredClient } from '../core/index.js';
import type { GrantType } from '../core/index.js';
import { DuplicateError } from '../core/index.js';
import { CommandError, UsageError } from './cli-error.js';
import type { CommandContext, CommandGroup } from './command.js';
import { expectPositionals, flag, listOption, scopeListOption, secondsOption, stringOption, type ParsedCommandLine } from './command-line.js';
import { describeOpenId, OPENID_CREATE_DETAILS, OPENID_FIELD_NAMES, OPENID_OPTIONS, OPENID_UPDATE_DETAILS, openIdSettings } from './client-openid-options.js';
import { openProvider } from './open-provider.js';
import { formatFields, formatTable } from './text-table.js';

/** `oauth2-kit client create|list|show|rotate-secret|delete`. */

const SECRET_NOTICE =
  'Store it now: only its SHA-256 digest is kept, so it cannot be shown again ' +
  '(if it is lost, issue a new one with "oauth2-kit client rotate-secret <id>").';

function lifetime(seconds: number | null): string {
  return seconds === null ? 'server default' : `${seconds} s`;
}

function pkce(client: RegisteredClient): string {
  if (!client.requirePkce) return client.allowPlainPkce ? 'optional (S256 or plain)' : 'optional (S256)';
  return client.allowPlainPkce ? 'required (S256 or plain)' : 'required (S256)';
}

function introspection(client: RegisteredClient): string {
  return client.allowIntrospection ? "any client's access tokens" : 'its own tokens only';
}

/** `--introspection` or `--no-introspection`, undefined when neither; both is a usage error. */
function introspectionOption(values: ParsedCommandLine['values']): boolean | undefined {
  const allow = flag(values, 'introspection');
  const deny = flag(values, 'no-introspection');
  if (allow && deny) throw new UsageError('--introspection and --no-introspection contradict each other');
  return allow ? true : deny ? false : undefined;
}

/** Everything about a client except secret material (the view has none to show). */
function describeClient(client: RegisteredClient): string {
  return formatFields([
    ['id', client.id],
    ['name', client.name],
    ['type', client.confidential ? 'confidential (has a secret)' : 'public (no secret)'],
    ['grants', client.grants.join(', ') || '-'],
    ['redirect URIs', client.redirectUris.join(' ') || '-'],
    ['scopes', client.scopes.join(' ') || '-'],
    ['default scopes', client.defaultScopes.join(' ') || '- (a request without scope is refused)'],
    ['introspects', introspection(client)],
    ['access token lifetime', lifetime(client.accessTokenLifetime)],
    ['refresh token lifetime', lifetime(client.refreshTokenLifetime)],
    ['authorization code lifetime', lifetime(client.authorizationCodeLifetime)],
    ['PKCE', pkce(client)],
    ...describeOpenId(client),
    ['created', client.createdAt.toISOString()],
    ['updated', client.updatedAt.toISOString()],
  ]);
}

async function findClient(context: CommandContext, id: string): Promise<RegisteredClient> {
  const provider = await openProvider(context);
  const client = await provider.clients.get(id);
  if (client === null) throw new CommandError(`no client with id "${id}"`);
  return client;
}

export const clientCommands: CommandGroup = {
  create: {
    usage: 'client create --name NAME --grant GRANT… [options]',
    summary: 'register a client; prints its secret once',
    details: [
      '--id ID                            client_id (default: a random UUID)',
      '--name NAME                        name shown to users (required)',
      '--grant GRANT                      authorization_code, client_credentials, refresh_token, or password with',
      '                                   --allow-password-grant (repeatable, at least one; there is no default)',
      '--allow-password-grant             accept --grant password: RFC 9700 §2.4 says the grant MUST NOT be used, and',
      '                                   a server serves it only when built with allowPasswordGrant: true',
      '--redirect-uri URI                 exact redirect URI (repeatable; needed for authorization_code)',
      '--scope SCOPE                      scope the client may be granted (repeatable, or several space-separated; must be defined)',
      '--default-scope "SCOPE…"           granted when a request names no scope (RFC 6749 §3.3); each one of --scope',
      '                                   (default: none, and such a request is refused with invalid_scope)',
      '--introspection                    may introspect the access tokens of every client (RFC 7662 §4: resource servers);',
      '--no-introspection                 only its own tokens (the default)',
      '--public                           a public client: no secret, PKCE always required',
      '--access-token-lifetime SECONDS    default: the server default',
      '--refresh-token-lifetime SECONDS   default: the server default',
      '--authorization-code-lifetime SECONDS',
      '--no-require-pkce                  let authorization requests omit PKCE (confidential clients only)',
      '--allow-plain-pkce                 accept the PKCE "plain" method (RFC 7636 §4.2)',
      ...OPENID_CREATE_DETAILS,
    ],
    fieldNames: {
      id: '--id',
      name: '--name',
      grants: '--grant',
      redirectUris: '--redirect-uri',
      scopes: '--scope',
      defaultScopes: '--default-scope',
      allowIntrospection: '--introspection',
      confidential: '--public',
      accessTokenLifetime: '--access-token-lifetime',
      refreshTokenLifetime: '--refresh-token-lifetime',
      authorizationCodeLifetime: '--authorization-code-lifetime',
      requirePkce: '--no-require-pkce',
      allowPlainPkce: '--allow-plain-pkce',
      ...OPENID_FIELD_NAMES,
    },
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      grant: { type: 'string', multiple: true },
      'redirect-uri': { type: 'string', multiple: true },
      scope: { type: 'string', multiple: true },
      'default-scope': { type: 'string', multiple: true },
      introspection: { type: 'boolean' },
      'no-introspection': { type: 'boolean' },
      public: { type: 'boolean' },
      'access-token-lifetime': { type: 'string' },
      'refresh-token-lifetime': { type: 'string' },
      'authorization-code-lifetime': { type: 'string' },
      'no-require-pkce': { type: 'boolean' },
      'allow-plain-pkce': { type: 'boolean' },
      'allow-password-grant': { type: 'boolean' },
      ...OPENID_OPTIONS,
    },
    async run(context) {
      const { values } = context;
      expectPositionals(context.positionals, [], 'client create');
      const name = stringOption(values, 'name');
      if (name === undefined) throw new UsageError('client create needs --name');
      const grants = listOption(values, 'grant');
      if (grants.length === 0) throw new UsageError('client create needs at least one --grant');
      // RFC 9700 §2.4: the password grant is registered only when the operator says so.
      const allowPasswordGrant = flag(values, 'allow-password-grant');
      if (grants.includes('password') && !allowPasswordGrant) {
        throw new CommandError(
          '--grant password: the password grant is off (RFC 9700 §2.4: it MUST NOT be used); pass --allow-password-grant ' +
            'to register it anyway, for a server built with allowPasswordGrant: true',
        );
      }
      const id = stringOption(values, 'id');
      const input = {
        ...(id === undefined ? {} : { id }),
        name,
        grants: grants as GrantType[],
        redirectUris: listOption(values, 'redirect-uri'),
        scopes: scopeListOption(values, 'scope'),
        defaultScopes: scopeListOption(values, 'default-scope'),
        allowIntrospection: introspectionOption(values) ?? false,
        confidential: !flag(values, 'public'),
        accessTokenLifetime: secondsOption(values, 'access-token-lifetime') ?? null,
        refreshTokenLifetime: secondsOption(values, 'refresh-token-lifetime') ?? null,
        authorizationCodeLifetime: secondsOption(values, 'authorization-code-lifetime') ?? null,
        requirePkce: !flag(values, 'no-require-pkce'),
        allowPlainPkce: flag(values, 'allow-plain-pkce'),
        ...openIdSettings(values, false),
      };
      const provider = await openProvider(context, { allowPasswordGrant });
      const { client, clientSecret } = await provider.clients.create(input).catch((error: unknown) => {
        if (error instanceof DuplicateError) throw new CommandError(`a client with id "${id}" already exists`);
        throw error;
      });
      const human = [`Created ${client.confidential ? 'confidential' : 'public'} client "${client.id}".`, describeClient(client)];
      if (clientSecret !== null) human.push('', `Client secret: ${clientSecret}`, SECRET_NOTICE);
      return { human: human.join('\n'), json: { client, clientSecret } };
    },
  },

  list: {
    usage: 'client list',
    summary: 'list every client (never their secrets)',
    options: {},
    async run(context) {
      expectPositionals(context.positionals, [], 'client list');
      const provider = await openProvider(context);
      const clients = await provider.clients.list();
      const human =
        clients.length === 0
          ? 'No clients. Register one with "oauth2-kit client create".'
          : formatTable(
              ['ID', 'NAME', 'TYPE', 'GRANTS', 'SCOPES', 'DEFAULT SCOPES', 'INTROSPECTS', 'SUBJECT'],
              clients.map((c) => [
                c.id,
                c.name,
                c.confidential ? 'confidential' : 'public',
                c.grants.join(','),
                c.scopes.join(' '),
                c.defaultScopes.join(' ') || '-',
                c.allowIntrospection ? 'any client' : 'own tokens',
                c.subjectType,
              ]),
            );
      return { human, json: clients };
    },
  },

  show: {
    usage: 'client show <id>',
    summary: "show a client's settings",
    options: {},
    async run(context) {
      const [id] = expectPositionals(context.positionals, ['id'], 'client show');
      const client = await findClient(context, id!);
      return { human: describeClient(client), json: client };
    },
  },

  update: {
    usage: 'client update <id> [options]',
    summary: "change a client's name, scopes, introspection permission or OpenID Connect settings; options not given stay as they are",
    details: [
      '--name NAME                        name shown to users',
      '--scope SCOPE                      replaces the scopes (repeatable, or several space-separated; "" for none);',
      '                                   must keep every default scope: change --default-scope with it',
      '--default-scope "SCOPE…"           replaces the default scopes (RFC 6749 §3.3; "" for none)',
      '--introspection                    may introspect the access tokens of every client (RFC 7662 §4)',
      '--no-introspection                 may introspect its own tokens only',
      ...OPENID_UPDATE_DETAILS,
    ],
    fieldNames: {
      name: '--name',
      scopes: '--scope',
      defaultScopes: '--default-scope',
      allowIntrospection: '--introspection',
      ...OPENID_FIELD_NAMES,
    },
    options: {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      'default-scope': { type: 'string', multiple: true },
      introspection: { type: 'boolean' },
      'no-introspection': { type: 'boolean' },
      ...OPENID_OPTIONS,
    },
    async run(context) {
      const { values } = context;
      const [id] = expectPositionals(context.positionals, ['id'], 'client update');
      const given = (name: string) => values[name] !== undefined;
      const allowIntrospection = introspectionOption(values);
      const patch = {
        ...(given('name') ? { name: stringOption(values, 'name') } : {}),
        ...(given('scope') ? { scopes: scopeListOption(values, 'scope') } : {}),
        ...(given('default-scope') ? { defaultScopes: scopeListOption(values, 'default-scope') } : {}),
        ...(allowIntrospection === undefined ? {} : { allowIntrospection }),
        ...openIdSettings(values, true),
      };
      if (Object.keys(patch).length === 0) throw new UsageError('client update needs at least one setting to change (see oauth2-kit client update --help)');
      const provider = await openProvider(context);
      const client = await provider.clients.update(id!, patch);
      if (client === null) throw new CommandError(`no client with id "${id}"`);
      return { human: [`Updated client "${client.id}".`, describeClient(client)].join('\n'), json: client };
    },
  },

  'rotate-secret': {
    usage: 'client rotate-secret <id>',
    summary: 'replace a client secret (the old one stops working at once); prints it once',
    options: {},
    async run(context) {
      const [id] = expectPositionals(context.positionals, ['id'], 'client rotate-secret');
      const provider = await openProvider(context);
      const rotated = await provider.clients.rotateSecret(id!);
      if (rotated === null) throw new CommandError(`no client with id "${id}"`);
      return {
        human: [`New secret for client "${id}"; the previous one no longer works.`, '', `Client secret: ${rotated.clientSecret}`, SECRET_NOTICE].join('\n'),
        json: { id, clientSecret: rotated.clientSecret },
      };
    },
  },

  delete: {
    usage: 'client delete <id>',
    summary: 'delete a client with its tokens and authorization codes',
    options: {},
    async run(context) {
      const [id] = expectPositionals(context.positionals, ['id'], 'client delete');
      const provider = await openProvider(context);
      if (!(await provider.clients.delete(id!))) throw new CommandError(`no client with id "${id}"`);
      return { human: `Deleted client "${id}" with its tokens and authorization codes.`, json: { id, deleted: true } };
    },
  },
};
