import OAuth2Server from '@node-oauth/oauth2-server';

/**
 * The protocol error an oauth2-server failure stands for: its `OAuthError` subclasses carry the
 * RFC 6749 §5.2 `error` code as `name`, the description as `message` and the status as `code`.
 * Anything else, or a 5xx, is not a protocol error.
 */
export function libraryProtocolError(error: unknown): { error: string; description: string; status: number } | undefined {
  if (error instanceof OAuth2Server.OAuthError && error.code >= 400 && error.code < 500) {
    return { error: error.name, description: error.message, status: error.code };
  }
  return undefined;
}

/**
 * RFC 8707 §2: `invalid_target`, 400 at the token endpoint. A library error, so that the library
 * passes it through from the model as it does its own (lib/handlers/token-handler.js wraps
 * anything else as `server_error`).
 */
export class InvalidTargetError extends OAuth2Server.OAuthError {
  constructor(message: string) {
    super(message, { code: 400, name: 'invalid_target' });
  }
}
