// The native schema engine logs one JSON object per line on stderr. The Prisma CLI reads them: in
// server mode it keeps `fields.message` of every line and the fields of the last ERROR line (shown when
// the engine exits with code 1); in one-shot `cli` mode it skips the first line and looks for an ERROR
// line with target "schema_engine::logger" carrying `fields.error_code` and `fields.message`.

/**
 * @param {'ERROR' | 'WARN' | 'INFO' | 'DEBUG'} level
 * @param {Record<string, unknown>} fields must include `message`
 * @param {string} [target]
 */
export function nativeLogLine(level, fields, target = 'schema_engine::logger') {
  return JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target });
}

/** Writes an engine log line (already JSON from the WASM engine) to stderr, one line each. */
export function forwardEngineLog(line) {
  const text = String(line).trim();
  if (text.length === 0) return;
  process.stderr.write(`${text.replace(/\n/g, ' ')}\n`);
}

/**
 * The error line the CLI looks for.
 * @param {{ message: string, code?: string }} error
 */
export function writeErrorLog(error) {
  const fields = { is_panic: false, message: error.message, ...(error.code ? { error_code: error.code } : {}) };
  process.stderr.write(`${nativeLogLine('ERROR', fields)}\n`);
}
