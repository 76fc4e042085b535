// Connection strings as Prisma reads them, turned into pg pool settings.

/**
 * Splits Prisma's `?schema=NAME` parameter (which pg does not know) from a PostgreSQL URL and turns it
 * into a `search_path` for every connection, as the native engine does.
 *
 * @param {string} url
 * @returns {{ connectionString: string, schema: string | undefined, options: string | undefined }}
 */
export function parsePostgresUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('The datasource URL is not a valid URL.');
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new Error(`Only PostgreSQL URLs are supported here, not "${parsed.protocol}".`);
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  // pg lets `?options=` in the URL override the config object, so fold it in and remove it.
  const given = parsed.searchParams.get('options') ?? undefined;
  parsed.searchParams.delete('options');
  const searchPath = schema === undefined ? undefined : `-c search_path=${quoteIdentifier(schema).replace(/ /g, '\\ ')}`;
  const options = [given, searchPath].filter(Boolean).join(' ') || undefined;
  return { connectionString: parsed.toString(), schema, options };
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** The database a URL points at (pg's default: the user name). */
export function databaseOf(url) {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return name || decodeURIComponent(parsed.username) || 'postgres';
}

/** `host:port` for messages; never the credentials. */
export function serverOf(url) {
  const parsed = new URL(url);
  return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
}

/** Double-quotes a PostgreSQL identifier. */
export function quoteIdentifier(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}
