// `node --import ./record-modules.mjs …`: records every module the process loads, for a test to
// read with globalThis.loadedModules(): the URLs of ES modules as they are resolved (module hooks
// run on their own thread and post them here), and the files of CommonJS modules (require.cache),
// which a CommonJS package's own require() calls load without any ES resolution.
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const resolved = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => resolved.add(url));
port1.unref();
register('./module-recorder-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });

const cache = createRequire(import.meta.url).cache;
globalThis.loadedModules = () => [...resolved, ...Object.keys(cache)];
