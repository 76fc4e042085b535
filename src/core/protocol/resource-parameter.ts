import {
  formatAudience,
  isResourceIdentifier,
  MAX_AUDIENCE_LENGTH,
  MAX_RESOURCE_IDENTIFIER_LENGTH,
  MAX_RESOURCES_PER_REQUEST,
} from '../provider/resource-indicators.js';

/**
 * The `resource` parameter of the authorization and token endpoints (RFC 8707 §2). Unlike every
 * other parameter it may be repeated: a form or query carries it several times (an array once
 * parsed), a JSON body as an array of strings.
 */

/** The resources a request names, in the order first named, without repeats; or why it is refused. */
export type ResourceParameterOutcome =
  | { ok: true; resources: string[] | undefined }
  | { ok: false; error: 'invalid_target'; description: string };

/** The parameters of a request, split into its `resource` values and everything else. */
export interface SplitParameters {
  resources: ResourceParameterOutcome;
  /** The other parameters, as given. */
  rest: Record<string, unknown>;
}

const MALFORMED = `Invalid target: each \`resource\` must be an absolute URI without a fragment, of at most ${MAX_RESOURCE_IDENTIFIER_LENGTH} characters`;
const TOO_MANY = `Invalid target: at most ${MAX_RESOURCES_PER_REQUEST} \`resource\` values in one request`;
const TOO_LONG = `Invalid target: the \`resource\` values of one request may total at most ${MAX_AUDIENCE_LENGTH} characters`;

/**
 * Takes `resource` out of parsed query or body parameters. Any malformed value, more than
 * {@link MAX_RESOURCES_PER_REQUEST} values, or values longer together than an audience may be
 * ({@link MAX_AUDIENCE_LENGTH}), refuses the request `invalid_target` (RFC 8707 §2:
 * "The requested resource is invalid, missing, unknown, or malformed"). Absent, or an empty JSON
 * array: no resource named.
 */
export function splitResourceParameter(input: Record<string, unknown> | undefined | null): SplitParameters {
  if (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input) || !Object.hasOwn(input, 'resource')) {
    return { resources: { ok: true, resources: undefined }, rest: input ?? {} };
  }
  const { resource, ...rest } = input;
  return { resources: readResources(resource), rest };
}

function readResources(value: unknown): ResourceParameterOutcome {
  if (value === undefined) return { ok: true, resources: undefined };
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (values.length > MAX_RESOURCES_PER_REQUEST) return { ok: false, error: 'invalid_target', description: TOO_MANY };
  if (!values.every(isResourceIdentifier)) return { ok: false, error: 'invalid_target', description: MALFORMED };
  const resources = [...new Set(values)];
  if ((formatAudience(resources)?.length ?? 0) > MAX_AUDIENCE_LENGTH) return { ok: false, error: 'invalid_target', description: TOO_LONG };
  return { ok: true, resources: resources.length === 0 ? undefined : resources };
}
