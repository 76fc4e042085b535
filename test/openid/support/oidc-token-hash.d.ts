// Types of panva's oidc-token-hash 5 (it ships none): the two functions the tests call.
declare module 'oidc-token-hash' {
  /** The `_hash` value of `token` for an ID token signed with `alg` (and, for EdDSA, `crv`). */
  export function generate(token: string, alg: string, crv?: string): string;
  /** Throws an AssertionError unless `actual` is the `_hash` of `source` (`names` name them in the message). */
  export function validate(names: { claim: string; source: string }, actual: string, source: string, alg: string, crv?: string): void;
  const tokenHash: { generate: typeof generate; validate: typeof validate };
  export default tokenHash;
}
