import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the model needs of a token request that oauth2-server does not hand it. The library calls
 * the model with the client, user, token and scope it knows about, never with the request
 * (lib/grant-types/*.js, 5.3), and has no `resource` parameter (RFC 8707 §2.2) of its own. The token
 * endpoint reads those parameters and runs the library inside {@link withTokenRequestFacts}; the
 * model, called from within, reads them back here. Pinned by test/oauth2-server/library-seam.test.ts.
 */
export interface TokenRequestFacts {
  /** The resources the request names, well-formed and without repeats; undefined when none. */
  resources: readonly string[] | undefined;
  /** Whether the request names a `scope` (a blank one names none). */
  scopeNamed: boolean;
}

const facts = new AsyncLocalStorage<TokenRequestFacts>();

/** Runs `work` (the library's token handler) with `requestFacts` readable by the model. */
export function withTokenRequestFacts<T>(requestFacts: TokenRequestFacts, work: () => T): T {
  return facts.run(requestFacts, work);
}

/**
 * The facts of the token request being served; undefined outside the kit's token endpoint (an
 * application calling `server.token()` itself), where no resource is named.
 */
export function currentTokenRequestFacts(): TokenRequestFacts | undefined {
  return facts.getStore();
}
