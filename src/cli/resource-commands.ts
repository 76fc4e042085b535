import type { ResourceView } from '../core/index.js';
import { CommandError, UsageError } from './cli-error.js';
import type { CommandGroup } from './command.js';
import { expectPositionals, scopeListOption, secondsOption, stringOption } from './command-line.js';
import { openProvider } from './open-provider.js';
import { formatFields, formatTable } from './text-table.js';

/** `oauth2-kit resource define|list|show|delete`: the protected resources tokens may be asked for (RFC 8707). */

const ANY_SCOPE = 'any (the client decides)';

function lifetime(resource: ResourceView): string {
  return resource.accessTokenLifetime === null ? "none of its own (the client's applies)" : `at most ${resource.accessTokenLifetime} s`;
}

/** `--token-format`: checked here, so that a typo is a usage error naming the option. */
function tokenFormatOption(raw: string | undefined): { tokenFormat?: 'opaque' | 'jwt' } {
  if (raw === undefined) return {};
  if (raw !== 'opaque' && raw !== 'jwt') throw new UsageError(`--token-format must be opaque or jwt, got ${JSON.stringify(raw)}`);
  return { tokenFormat: raw };
}

function describeResource(resource: ResourceView): string {
  return formatFields([
    ['resource', resource.id],
    ['name', resource.name],
    ['scopes', resource.scopes.join(' ') || ANY_SCOPE],
    ['access token lifetime', lifetime(resource)],
    ['token format', resource.tokenFormat === 'jwt' ? 'jwt (RFC 9068 JWT access tokens, verified with the published keys)' : 'opaque'],
    ['created', resource.createdAt.toISOString()],
    ['updated', resource.updatedAt.toISOString()],
  ]);
}

export const resourceCommands: CommandGroup = {
  define: {
    usage: 'resource define <uri> --name NAME [options]',
    summary: 'register a resource tokens may be asked for (RFC 8707), or replace its settings',
    details: [
      '<uri>                              the identifier clients send as `resource`: an absolute URI without fragment,',
      '                                   at most 512 characters (RFC 8707 §2), e.g. https://api.example.com/mcp;',
      '                                   matched exactly, so https://api.example and https://api.example/ are two resources',
      '--name NAME                        name shown on the consent page (required)',
      '--scope SCOPE                      a scope a token for it may carry (repeatable, or several space-separated;',
      '                                   must be defined); default: any scope',
      '--access-token-lifetime SECONDS    a token for it lives at most this long (the shortest lifetime wins);',
      "                                   default: none of its own",
      '--token-format opaque|jwt          the access tokens for it: opaque (the default; checked with this server) or',
      '                                   jwt (RFC 9068: the resource verifies them itself with the published keys;',
      '                                   the server needs issuer and signingKeys to issue them)',
      '',
      'Defining an existing resource replaces every setting: give all of them again. Tokens already issued',
      'keep what they were issued with.',
    ],
    fieldNames: { id: '<uri>', name: '--name', scopes: '--scope', accessTokenLifetime: '--access-token-lifetime', tokenFormat: '--token-format' },
    options: {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      'access-token-lifetime': { type: 'string' },
      'token-format': { type: 'string' },
    },
    async run(context) {
      const { values } = context;
      const [id] = expectPositionals(context.positionals, ['uri'], 'resource define');
      const name = stringOption(values, 'name');
      if (name === undefined) throw new UsageError('resource define needs --name');
      const definition = {
        id: id!,
        name,
        scopes: scopeListOption(values, 'scope'),
        accessTokenLifetime: secondsOption(values, 'access-token-lifetime') ?? null,
        ...tokenFormatOption(stringOption(values, 'token-format')),
      };
      const provider = await openProvider(context);
      const resource = await provider.resources.define(definition);
      return { human: [`Defined resource "${resource.id}".`, describeResource(resource)].join('\n'), json: resource };
    },
  },

  list: {
    usage: 'resource list',
    summary: 'list the registered resources',
    options: {},
    async run(context) {
      expectPositionals(context.positionals, [], 'resource list');
      const provider = await openProvider(context);
      const resources = await provider.resources.list();
      const human =
        resources.length === 0
          ? 'No resources. Register one with "oauth2-kit resource define <uri> --name NAME".'
          : formatTable(
              ['RESOURCE', 'NAME', 'SCOPES', 'ACCESS TOKEN LIFETIME', 'TOKEN FORMAT'],
              resources.map((r) => [r.id, r.name, r.scopes.join(' ') || 'any', r.accessTokenLifetime === null ? '-' : `${r.accessTokenLifetime} s`, r.tokenFormat]),
            );
      return { human, json: resources };
    },
  },

  show: {
    usage: 'resource show <uri>',
    summary: "show a resource's settings",
    options: {},
    async run(context) {
      const [id] = expectPositionals(context.positionals, ['uri'], 'resource show');
      const provider = await openProvider(context);
      const resource = await provider.resources.find(id!);
      if (resource === null) throw new CommandError(`no resource "${id}"`);
      return { human: describeResource(resource), json: resource };
    },
  },

  delete: {
    usage: 'resource delete <uri>',
    summary: 'delete a resource: requests naming it are refused from then on',
    options: {},
    async run(context) {
      const [id] = expectPositionals(context.positionals, ['uri'], 'resource delete');
      const provider = await openProvider(context);
      if (!(await provider.resources.delete(id!))) throw new CommandError(`no resource "${id}"`);
      return {
        human: `Deleted resource "${id}". Tokens already issued for it stay valid until they expire or are revoked.`,
        json: { id, deleted: true },
      };
    },
  },
};
