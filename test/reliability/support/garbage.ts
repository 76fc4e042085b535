/**
 * fast-check arbitraries for hostile requests: random and known parameter names, values full of
 * SQL metacharacters, control characters, lone surrogates and oversized strings, repeated
 * parameters (RFC 6749 §3.1 forbids them), every body encoding a client might send — and never a
 * credential that is actually valid, so that no garbage request may legitimately succeed.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { formEncode, percentEncode } from './raw-http.js';

/** Parameter names the endpoints read, so that garbage reaches past "unknown parameter". */
const KNOWN_NAMES = [
  'grant_type', 'client_id', 'client_secret', 'scope', 'code', 'redirect_uri', 'code_verifier', 'refresh_token',
  'username', 'password', 'token', 'token_type_hint', 'access_token', 'response_type', 'state', 'code_challenge',
  'code_challenge_method', 'csrf_token', 'decision',
];

/** Values that mean something somewhere, so that garbage gets deep into the flows. */
function meaningfulValues(parties: GarbageParties): string[] {
  return [
    'authorization_code', 'client_credentials', 'password', 'refresh_token', 'implicit', 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    'code', 'token', 'S256', 'plain', 'access_token', 'read', 'write', 'read write', 'admin',
    parties.confidentialId, parties.publicId, parties.username, parties.redirectUri, `${parties.redirectUri}/x`,
    'approve', 'deny',
  ];
}

const SQL_METACHARACTERS = [
  "' OR '1'='1", "'; DROP TABLE oauth_tokens; --", '" OR ""="', "1; SELECT pg_sleep(30)", "1' AND SLEEP(30) -- ",
  "\\'", '%', '_', '\\', '$1', '?', '/*', '*/', '--', "'", '`', ';',
];

const ODD_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF', '\uFFFF', '\uFEFF', '🙂', 'e\u0301', '\u202E', '\r\n', '\t',
  'null', 'undefined', 'true', '0', '-1', 'NaN', '1e309', '[]', '{}', '__proto__', 'constructor', 'toString',
  'hasOwnProperty', '%00', '%ZZ', '../../etc/passwd', '<script>alert(1)</script>', '${7*7}', '{{7*7}}',
];

export interface GarbageParties {
  confidentialId: string;
  publicId: string;
  username: string;
  redirectUri: string;
}

/** A hostile string of at most `maxLong` characters. */
export function nastyString(parties: GarbageParties, maxLong: number): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
    { arbitrary: fc.constantFrom(...SQL_METACHARACTERS), weight: 2 },
    { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 2 },
    { arbitrary: fc.constantFrom(...meaningfulValues(parties)), weight: 4 },
    { arbitrary: fc.base64String({ maxLength: 64 }), weight: 1 },
    { arbitrary: fc.integer({ min: 100, max: maxLong }).map((n) => 'A'.repeat(n)), weight: 1 },
  );
}

/** Name/value pairs; names repeat sometimes (on purpose, as well as by chance). */
export function parameterPairs(parties: GarbageParties, maxLong: number): fc.Arbitrary<Array<[string, string]>> {
  const name = fc.oneof({ arbitrary: fc.constantFrom(...KNOWN_NAMES), weight: 4 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
  const pair = fc.tuple(name, nastyString(parties, maxLong));
  return fc
    .tuple(fc.array(pair, { maxLength: 10 }), fc.boolean())
    .map(([pairs, repeat]) => (repeat && pairs.length > 0 ? [...pairs, pairs[0]!] : pairs));
}

/** A header value Node will put on the wire (tab, printable ASCII, Latin-1). */
export function headerSafe(text: string): string {
  return text.replace(/[^\t\x20-\x7E\x80-\xFF]/g, '?');
}

/** What may come in `Authorization`: nothing, malformed Basic, Basic with guessed secrets, Bearer, repeats. */
export function authorizationHeaders(parties: GarbageParties): fc.Arbitrary<string[]> {
  const secret = nastyString(parties, 600);
  const basic = fc
    .tuple(fc.constantFrom(parties.confidentialId, parties.publicId, 'unknown-client', ''), secret)
    .map(([id, guessed]) => `Basic ${Buffer.from(`${id}:${guessed}`, 'utf8').toString('base64')}`);
  const one = fc.oneof(
    basic,
    fc.string({ maxLength: 60 }).map((text) => headerSafe(`Basic ${text}`)),
    fc.string({ maxLength: 60 }).map((text) => headerSafe(`Bearer ${text}`)),
    fc.string({ maxLength: 80 }).map(headerSafe),
    fc.constantFrom('Basic', 'Basic ', 'Basic ===', 'Basic Og==', 'Bearer', 'Bearer ', 'Digest x', 'basic ' + Buffer.from(':').toString('base64')),
  );
  return fc.oneof(
    { arbitrary: fc.constant<string[]>([]), weight: 2 },
    { arbitrary: one.map((value) => [value]), weight: 5 },
    { arbitrary: fc.tuple(one, one).map(([a, b]) => [a, b]), weight: 1 },
  );
}

/** Headers that should change nothing (or be refused cleanly). */
export function extraHeaders(): fc.Arbitrary<Array<[string, string]>> {
  const name = fc.constantFrom('accept', 'accept-encoding', 'accept-language', 'x-forwarded-for', 'x-forwarded-proto', 'cookie', 'x-http-method-override', 'origin', 'referer');
  return fc.array(fc.tuple(name, fc.string({ maxLength: 60 }).map(headerSafe)), { maxLength: 4 });
}

/** How a body is sent. */
export type BodyEncoding =
  | 'form'
  | 'json'
  | 'raw-json'
  | 'gzip-form'
  | 'mislabelled-encoding'
  | 'text-plain'
  | 'multipart'
  | 'latin1-charset'
  | 'no-content-type'
  | 'oversized-form'
  | 'broken-percent-escapes';

export interface EncodedBody {
  headers: Array<[string, string]>;
  body: Buffer;
}

const FORM = 'application/x-www-form-urlencoded';

/** Groups pairs into a JSON object: a repeated name becomes an array, as a JSON client might send it. */
function asJsonObject(pairs: Array<[string, string]>, nested: unknown): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [name, value] of pairs) {
    const previous = object[name];
    object[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  if (nested !== undefined && pairs[0]) object[pairs[0][0]] = nested;
  return object;
}

/** A body in each encoding, built from the same pairs. */
export function encodedBody(pairs: fc.Arbitrary<Array<[string, string]>>): fc.Arbitrary<EncodedBody> {
  const encoding = fc.constantFrom<BodyEncoding>(
    'form', 'form', 'form', 'json', 'json', 'raw-json', 'gzip-form', 'mislabelled-encoding', 'text-plain', 'multipart',
    'latin1-charset', 'no-content-type', 'oversized-form', 'broken-percent-escapes',
  );
  return fc.tuple(pairs, encoding, fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }), fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 40 }))).map(
    ([parameters, kind, nested, rawJson]): EncodedBody => {
      const form = formEncode(parameters);
      switch (kind) {
        case 'form':
          return { headers: [['content-type', FORM]], body: Buffer.from(form) };
        case 'json':
          return { headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify(asJsonObject(parameters, nested))) };
        case 'raw-json':
          return { headers: [['content-type', 'application/json']], body: Buffer.from(rawJson) };
        case 'gzip-form':
          return { headers: [['content-type', FORM], ['content-encoding', 'gzip']], body: gzipSync(form) };
        case 'mislabelled-encoding':
          return { headers: [['content-type', FORM], ['content-encoding', 'br']], body: Buffer.from(form) };
        case 'text-plain':
          return { headers: [['content-type', 'text/plain']], body: Buffer.from(form) };
        case 'multipart':
          return {
            headers: [['content-type', 'multipart/form-data; boundary=x']],
            body: Buffer.from(`--x\r\ncontent-disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--\r\n`),
          };
        case 'latin1-charset':
          return { headers: [['content-type', `${FORM}; charset=iso-8859-1`]], body: Buffer.from(form, 'latin1') };
        case 'no-content-type':
          return { headers: [], body: Buffer.from(form) };
        case 'oversized-form':
          return { headers: [['content-type', FORM]], body: Buffer.from(`${form}&padding=${'x'.repeat(20_000)}`) };
        case 'broken-percent-escapes':
          return { headers: [['content-type', FORM]], body: Buffer.from(`${form}&%ZZ=%E0%A4%A&client_id=%&${percentEncode('\uD800')}=%FF%FE`) };
      }
    },
  );
}

/** A query string (with its `?`) from pairs, sometimes with broken escapes appended. */
export function queryString(pairs: fc.Arbitrary<Array<[string, string]>>): fc.Arbitrary<string> {
  return fc
    .tuple(pairs, fc.boolean())
    .map(([parameters, broken]) => `?${formEncode(parameters)}${broken ? '&%ZZ=%E0%A4%A&state=%' : ''}`);
}
