// The schema engine's WASM build reports a Rust panic by calling
// `globalThis.PRISMA_WASM_PANIC_REGISTRY.set_message(text)` before trapping with a bare
// "RuntimeError: unreachable". Without a registry the reason of the panic is lost (and the call to
// set_message itself throws), so it must exist before the engine is instantiated.

/** @type {{ message: string | undefined, set_message(text: string): void }} */
const ownRegistry = {
  message: undefined,
  set_message(text) {
    this.message = String(text);
  },
};

/**
 * Installs the registry unless one is already there (the Prisma CLI installs its own when it runs in
 * this process), and returns the registry in use.
 */
export function installPanicRegistry() {
  const holder = /** @type {any} */ (globalThis);
  if (typeof holder.PRISMA_WASM_PANIC_REGISTRY?.set_message !== 'function') {
    holder.PRISMA_WASM_PANIC_REGISTRY = ownRegistry;
  }
  return holder.PRISMA_WASM_PANIC_REGISTRY;
}

/** Returns the reason of the last panic recorded by our registry, and forgets it. */
export function takePanicMessage() {
  const holder = /** @type {any} */ (globalThis);
  const registry = holder.PRISMA_WASM_PANIC_REGISTRY;
  if (registry === ownRegistry) {
    const message = ownRegistry.message;
    ownRegistry.message = undefined;
    return message;
  }
  // A foreign registry (the CLI's) keeps its text behind get().
  return typeof registry?.get === 'function' ? String(registry.get()) : undefined;
}
