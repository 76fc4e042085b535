// Turns what the WASM engine throws into the JSON-RPC error data the Prisma CLI understands:
// `{ is_panic, message, error_code? }`. With `error_code` the CLI shows "P3005\n\n<message>" and
// lets commands react to the code; `is_panic` makes it report an engine crash.
import { takePanicMessage } from './panic-registry.mjs';

/**
 * @param {unknown} error
 * @returns {{ is_panic: boolean, message: string, error_code?: string, error?: { message: string } }}
 */
export function toEngineErrorData(error) {
  const panic = error instanceof WebAssembly.RuntimeError ? takePanicMessage() : undefined;
  if (panic !== undefined) {
    return { is_panic: true, message: panic, error: { message: panic } };
  }
  const raw = error instanceof Error ? error.message : String(error);
  const code = /** @type {{ code?: unknown }} */ (error ?? {}).code;
  return {
    is_panic: false,
    message: withoutSpanTrace(raw),
    ...(typeof code === 'string' && /^P\d{4}$/.test(code) ? { error_code: code } : {}),
  };
}

// WASM errors end with the tracing span stack ("\n   0: schema_engine_wasm::…\n at …"), which the
// native engine keeps out of user-facing messages.
export function withoutSpanTrace(message) {
  const cut = message.search(/\n\s+0: /);
  return (cut === -1 ? message : message.slice(0, cut)).trimEnd();
}
