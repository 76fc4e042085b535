/**
 * What the model needs of a token request that oauth2-server does not hand it. The library calls
 * the model with the client, user, token and scope it knows about, never with the request
 * (lib/grant-types/*.js, 5.3), and has no `resource` parameter (RFC 8707 §2.2) of its own. The token
 * endpoint reads those facts and runs the library with a model made for the request
 * ({@link modelForRequest}), which the library accepts per call (`server.token(request, response,
 * { model })`) and calls as `this.model.method(…)`: the model's methods read the facts from `this`.
 * Pinned by test/oauth2-server/library-seam.test.ts.
 *
 * Not through `AsyncLocalStorage`: on this Node, entering one turns on async hooks for every
 * promise of the process from then on (runtime/attempt-source.ts says what that cost).
 */
export interface TokenRequestFacts {
  /** The resources the request names, well-formed and without repeats; undefined when none. */
  resources: readonly string[] | undefined;
  /** Whether the request names a `scope` (a blank one names none). */
  scopeNamed: boolean;
  /**
   * The request's source address (the binding's: Koa's `ctx.ip`), null when unknown: the client
   * authentications and password checks of the request count against it.
   */
  sourceAddress: string | null;
}

const FACTS = Symbol('oauth2-kit token request facts');

/** `model` for one token request: its methods, called on the result, find `facts` on `this`. */
export function modelForRequest<M extends object>(model: M, facts: TokenRequestFacts): M {
  return Object.create(model, { [FACTS]: { value: facts } }) as M;
}

/**
 * The facts of the token request a model method serves, from its `this`; undefined for a model
 * called outside the kit's token endpoint (an application calling `server.token()` itself), where
 * no resource is named and the source is unknown.
 */
export function tokenRequestFactsOf(model: unknown): TokenRequestFacts | undefined {
  return typeof model === 'object' && model !== null ? (model as { [FACTS]?: TokenRequestFacts })[FACTS] : undefined;
}
