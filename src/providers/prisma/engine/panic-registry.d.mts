/** Installs `globalThis.PRISMA_WASM_PANIC_REGISTRY` (needed by the WASM schema engine) if absent. */
export declare function installPanicRegistry(): { set_message(text: string): void };
/** The reason of the last WASM panic, if one was recorded; clears it. */
export declare function takePanicMessage(): string | undefined;
