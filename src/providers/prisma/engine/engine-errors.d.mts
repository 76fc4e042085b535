/** JSON-RPC error data in the native engine's shape. */
export declare function toEngineErrorData(error: unknown): { is_panic: boolean; message: string; error_code?: string; error?: { message: string } };
/** A WASM error message without its trailing tracing-span stack. */
export declare function withoutSpanTrace(message: string): string;
