// Module hooks (node:module register): tells the main thread the URL of every module resolved,
// through the port handed over in `data`.
let port;

export function initialize(data) {
  port = data.port;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  port.postMessage(resolved.url);
  return resolved;
}
