// PostgreSQL's catalogs use the internal one-byte type `"char"` (OID 18), e.g. pg_class.relkind,
// pg_constraint.contype. The schema engine reads such columns when it describes a schema (migrate
// dev, drift detection, diff from a database), and @prisma/adapter-pg 7.10 has no column type for
// OID 18: the query fails with "Column type 'char' could not be deserialized". pg returns its value
// as a one-character string already, so reporting the column as `text` (OID 25) is exact. This is
// done on a pg.Client subclass used only by pools we create for the schema engine; it changes
// nothing for application queries.

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** @param {any} result */
function relabelCharColumns(result) {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

/**
 * @param {typeof import('pg')} pg
 * @returns {typeof import('pg').Client}
 */
export function clientReadingCatalogChar(pg) {
  return class CatalogCharClient extends pg.Client {
    /** @param {any[]} args */
    query(...args) {
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        // pg.Pool#query always calls its client with a callback.
        args[args.length - 1] = (/** @type {unknown} */ error, /** @type {unknown} */ result) =>
          callback(error, error ? result : relabelCharColumns(result));
        return /** @type {any} */ (super.query)(...args);
      }
      const pending = /** @type {any} */ (super.query)(...args);
      return typeof pending?.then === 'function' ? pending.then(relabelCharColumns) : pending;
    }
  };
}
