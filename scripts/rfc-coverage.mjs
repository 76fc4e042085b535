#!/usr/bin/env node
// Writes docs/rfc-coverage.md: which RFC and OpenID Connect sections the tests enforce, read from
// the test titles. A test that enforces a rule a specification decides cites it at the start of its
// title, in the form `RFC 7009 §2.1 — revocation of a refresh token revokes its whole family` (or
// `OIDC Core §3.1.2.6 — …`, `OIDC Discovery §3 — …`). This script reads the
// titles statically (no test is run): the test files under test/ (`*.test.ts`) and the conformance
// groups in src/testing/conformance/ (declared through `define(title, …)`).
//
//   node scripts/rfc-coverage.mjs           regenerate docs/rfc-coverage.md
//   node scripts/rfc-coverage.mjs --check   exit 1 when docs/rfc-coverage.md is out of date
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT = 'docs/rfc-coverage.md';
const COMMAND = 'npm run docs:rfc-coverage';

/** The specifications the titles may cite, by number. A citation of any other RFC fails the run. */
const RFC_TITLES = new Map([
  [3986, 'Uniform Resource Identifier (URI): Generic Syntax'],
  [6265, 'HTTP State Management Mechanism'],
  [6585, 'Additional HTTP Status Codes'],
  [6749, 'The OAuth 2.0 Authorization Framework'],
  [6750, 'The OAuth 2.0 Authorization Framework: Bearer Token Usage'],
  [6819, 'OAuth 2.0 Threat Model and Security Considerations'],
  [7009, 'OAuth 2.0 Token Revocation'],
  [7515, 'JSON Web Signature (JWS)'],
  [7516, 'JSON Web Encryption (JWE)'],
  [7517, 'JSON Web Key (JWK)'],
  [7518, 'JSON Web Algorithms (JWA)'],
  [7519, 'JSON Web Token (JWT)'],
  [7591, 'OAuth 2.0 Dynamic Client Registration Protocol'],
  [7592, 'OAuth 2.0 Dynamic Client Registration Management Protocol'],
  [7636, 'Proof Key for Code Exchange by OAuth Public Clients'],
  [7662, 'OAuth 2.0 Token Introspection'],
  [8252, 'OAuth 2.0 for Native Apps'],
  [8414, 'OAuth 2.0 Authorization Server Metadata'],
  [8037, 'CFRG Elliptic Curve Diffie-Hellman (ECDH) and Signatures in JSON Object Signing and Encryption (JOSE)'],
  [8707, 'Resource Indicators for OAuth 2.0'],
  [8725, 'JSON Web Token Best Current Practices'],
  [9068, 'JSON Web Token (JWT) Profile for OAuth 2.0 Access Tokens'],
  [9110, 'HTTP Semantics'],
  [9207, 'OAuth 2.0 Authorization Server Issuer Identification'],
  [9700, 'Best Current Practice for OAuth 2.0 Security'],
  [9728, 'OAuth 2.0 Protected Resource Metadata'],
]);

/** The OpenID Connect specifications the titles may cite, by the name they are cited with. */
const OPENID_TITLES = new Map([
  ['OIDC Core', 'OpenID Connect Core 1.0'],
  ['OIDC Discovery', 'OpenID Connect Discovery 1.0'],
  ['OIDC Registration', 'OpenID Connect Dynamic Client Registration 1.0'],
  ['OIDC RP-Initiated Logout', 'OpenID Connect RP-Initiated Logout 1.0'],
]);

/**
 * The functions whose first argument is a test title: ava's `test` with its modifiers
 * (`test.serial`, `test.skip`, …), the conformance groups' `define`, and the local wrappers the test
 * files declare tests through (`forEachStack`, `each`, `browserTest`, `postgresTest`, …).
 */
const isDeclarer = (name) => name === 'test' || name === 'define' || name === 'each' || name === 'forEachStack' || /^[a-z][A-Za-z]*Test$/.test(name);

// Where test titles are read from: test/**/*.test.ts and src/testing/conformance/*.ts.
const SOURCES = [
  { dir: 'test', accept: (path) => path.endsWith('.test.ts') },
  { dir: 'src/testing/conformance', accept: (path) => path.endsWith('.ts') && !path.includes('/') },
];

// ── Reading titles ────────────────────────────────────────────────────────────────────────────

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$]/;
/** After these a `/` starts a regular expression literal rather than a division. */
const REGEX_AFTER_KEYWORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/**
 * Every test title declared in `source`, in source order: `{ title, line, start, end }` (the
 * literal's 1-based line and its offsets, quotes included). A small scanner rather
 * than a regular expression, so that comments, strings, templates and regular-expression literals
 * are skipped as wholes. A title is a string literal in single or double quotes, or a template
 * literal; a template's `${…}` parts are kept as written, since their values are only known at run
 * time.
 */
export function readTitles(source) {
  const titles = [];
  let i = 0;
  let line = 1;
  // The last significant token, to tell a regular expression from a division.
  let previous = '';

  const advance = (to) => {
    for (let k = i; k < to; k += 1) if (source[k] === '\n') line += 1;
    i = to;
  };

  /** Skips whitespace and comments from `i`. */
  const skipBlank = () => {
    for (;;) {
      const c = source[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') advance(i + 1);
      else if (c === '/' && source[i + 1] === '/') {
        const end = source.indexOf('\n', i);
        advance(end === -1 ? source.length : end);
      } else if (c === '/' && source[i + 1] === '*') {
        const end = source.indexOf('*/', i + 2);
        advance(end === -1 ? source.length : end + 2);
      } else return;
    }
  };

  /** Reads a quoted string starting at `i` (on the quote); returns its value. */
  const readQuoted = () => {
    const quote = source[i];
    let value = '';
    let k = i + 1;
    while (k < source.length && source[k] !== quote) {
      if (source[k] === '\\') {
        value += unescape(source, k);
        k += escapeLength(source, k);
      } else {
        if (source[k] === '\n') break; // unterminated: stop at the end of the line
        value += source[k];
        k += 1;
      }
    }
    advance(Math.min(k + 1, source.length));
    return value;
  };

  /** Reads a template literal starting at `i` (on the backtick); `${…}` parts are kept verbatim. */
  const readTemplate = () => {
    let value = '';
    let k = i + 1;
    while (k < source.length && source[k] !== '`') {
      if (source[k] === '\\') {
        value += unescape(source, k);
        k += escapeLength(source, k);
      } else if (source[k] === '$' && source[k + 1] === '{') {
        const end = skipInterpolation(source, k + 2);
        value += source.slice(k, end);
        k = end;
      } else {
        value += source[k];
        k += 1;
      }
    }
    advance(Math.min(k + 1, source.length));
    return value;
  };

  while (i < source.length) {
    skipBlank();
    if (i >= source.length) break;
    const c = source[i];
    if (c === "'" || c === '"') {
      readQuoted();
      previous = 'string';
    } else if (c === '`') {
      readTemplate();
      previous = 'string';
    } else if (c === '/') {
      if (previous === '' || previous === 'punct' || REGEX_AFTER_KEYWORD.has(previous)) {
        advance(skipRegex(source, i));
        previous = 'string';
      } else {
        advance(i + 1);
        previous = 'punct';
      }
    } else if (IDENT_START.test(c)) {
      const preceded = source[i - 1];
      let k = i;
      while (k < source.length && IDENT_PART.test(source[k])) k += 1;
      const name = source.slice(i, k);
      advance(k);
      previous = name;
      if (preceded === '.' || !isDeclarer(name)) continue;
      // `test.serial.skip(` and the like: modifiers after the declarer's name.
      let m = i;
      while (source[m] === '.' && IDENT_START.test(source[m + 1] ?? '')) {
        m += 1;
        while (m < source.length && IDENT_PART.test(source[m])) m += 1;
      }
      if (source[m] !== '(') continue;
      advance(m + 1);
      previous = 'punct';
      skipBlank();
      const q = source[i];
      if (q !== "'" && q !== '"' && q !== '`') continue;
      const start = i;
      const titleLine = line;
      const title = q === '`' ? readTemplate() : readQuoted();
      previous = 'string';
      titles.push({ title, line: titleLine, start, end: i });
    } else if (/[0-9]/.test(c)) {
      let k = i;
      while (k < source.length && /[0-9A-Za-z_.]/.test(source[k])) k += 1;
      advance(k);
      previous = 'number';
    } else {
      advance(i + 1);
      previous = c === ')' || c === ']' || c === '}' ? 'close' : 'punct';
    }
  }
  return titles;
}

function escapeLength(source, k) {
  const next = source[k + 1];
  if (next === 'u' && source[k + 2] === '{') return source.indexOf('}', k) - k + 1;
  if (next === 'u') return 6;
  if (next === 'x') return 4;
  if (next === '\r' && source[k + 2] === '\n') return 3;
  return 2;
}

function unescape(source, k) {
  const next = source[k + 1];
  const simple = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0', '\n': '', '\r': '' };
  if (next in simple) return simple[next];
  if (next === 'u' || next === 'x') {
    const text = source.slice(k, k + escapeLength(source, k));
    const hex = text.replace(/^\\[ux]\{?/, '').replace(/\}$/, '');
    return String.fromCodePoint(Number.parseInt(hex, 16));
  }
  return next;
}

/** The index just past the `}` closing a template's `${` whose content starts at `k`. */
function skipInterpolation(source, k) {
  let depth = 1;
  while (k < source.length && depth > 0) {
    const c = source[k];
    if (c === '{') depth += 1;
    else if (c === '}') depth -= 1;
    else if (c === "'" || c === '"') {
      k += 1;
      while (k < source.length && source[k] !== c) k += source[k] === '\\' ? 2 : 1;
    } else if (c === '`') {
      k += 1;
      while (k < source.length && source[k] !== '`') {
        if (source[k] === '\\') k += 2;
        else if (source[k] === '$' && source[k + 1] === '{') k = skipInterpolation(source, k + 2);
        else k += 1;
      }
    }
    k += 1;
  }
  return k;
}

/** The index just past the regular-expression literal starting at `k` (on its `/`), flags included. */
function skipRegex(source, k) {
  let inClass = false;
  k += 1;
  while (k < source.length && source[k] !== '\n') {
    const c = source[k];
    if (c === '\\') k += 2;
    else if (c === '[') (inClass = true), (k += 1);
    else if (c === ']') (inClass = false), (k += 1);
    else if (c === '/' && !inClass) break;
    else k += 1;
  }
  k += 1;
  while (k < source.length && IDENT_PART.test(source[k])) k += 1;
  return k;
}

// ── Citations ─────────────────────────────────────────────────────────────────────────────────

/** One citation, e.g. `RFC 7009 §2.1` or `OIDC Core §5.3`: the specification and the section. */
const CITATION = /(RFC \d{3,5}|OIDC [A-Za-z-]+(?: [A-Za-z-]+)?) §(\d+(?:\.\d+)*)/gu;
const ONE_CITATION = String.raw`(?:RFC \d{3,5}|OIDC [A-Za-z-]+(?: [A-Za-z-]+)?) §\d+(?:\.\d+)*`;
/**
 * A title that cites: an optional prefix a wrapper adds (`${name}: `, `${provider}/${database}: `),
 * then one or more citations joined by `, `, then ` — ` and the rule.
 */
const CITING_TITLE = new RegExp(String.raw`^((?:\$\{[^}]*\}\S*: )?)(${ONE_CITATION}(?:, ${ONE_CITATION})*) — (.+)$`, 'su');

/** The sections a title cites and the rule it states, or undefined when it cites none. */
export function citationsOf(title) {
  const match = CITING_TITLE.exec(title);
  if (!match) return undefined;
  const [, prefix, cited, rule] = match;
  const sections = [...cited.matchAll(CITATION)].map(([, spec, section]) => ({ spec, section }));
  return { sections, rule: `${prefix}${rule}` };
}

/** The name of a cited specification (`RFC 7009`, `OIDC Core`), or undefined for one not listed. */
function specTitle(spec) {
  return spec.startsWith('RFC ') ? RFC_TITLES.get(Number(spec.slice(4))) : OPENID_TITLES.get(spec);
}

/** RFCs by number, then the OpenID Connect specifications in the order of {@link OPENID_TITLES}. */
function compareSpecs(a, b) {
  const rank = (spec) => (spec.startsWith('RFC ') ? Number(spec.slice(4)) : 100_000 + [...OPENID_TITLES.keys()].indexOf(spec));
  return rank(a) - rank(b);
}

/** Natural order of section numbers: §2 < §2.1 < §2.2 < §10.4. */
export function compareSections(a, b) {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let k = 0; k < Math.max(x.length, y.length); k += 1) {
    if (x[k] === undefined) return -1;
    if (y[k] === undefined) return 1;
    if (x[k] !== y[k]) return x[k] - y[k];
  }
  return 0;
}

const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// ── The document ─────────────────────────────────────────────────────────────────────────────

async function sourceFiles() {
  const files = [];
  for (const { dir, accept } of SOURCES) {
    const base = join(root, dir);
    for (const entry of await readdir(base, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = relative(base, join(entry.parentPath, entry.name)).split(sep).join('/');
      if (path.split('/').includes('node_modules') || !accept(path)) continue;
      files.push(`${dir}/${path}`);
    }
  }
  return files.sort(byCodePoint);
}

/** The document's text, and the problems found on the way (an unknown RFC, a citation out of place). */
export async function generate() {
  const problems = [];
  /** rfc → section → [{ rule, file }] */
  const coverage = new Map();
  let citing = 0;
  for (const file of await sourceFiles()) {
    const titles = readTitles(await readFile(join(root, file), 'utf8'));
    for (const { title, line } of titles) {
      const cited = citationsOf(title);
      if (!cited) {
        if (/(?:RFC \d{3,5}|OIDC [A-Za-z-]+(?: [A-Za-z-]+)?) §\d/u.test(title)) {
          problems.push(`${file}:${line}: the title cites a section, but not at its start as "RFC NNNN §N.N — rule" (or "OIDC Core §N — rule"): ${title}`);
        }
        continue;
      }
      citing += 1;
      for (const { spec, section } of cited.sections) {
        if (specTitle(spec) === undefined) problems.push(`${file}:${line}: ${spec} is not in the list of specification names in scripts/rfc-coverage.mjs`);
        if (!coverage.has(spec)) coverage.set(spec, new Map());
        const sections = coverage.get(spec);
        if (!sections.has(section)) sections.set(section, []);
        sections.get(section).push({ rule: cited.rule, file });
      }
    }
  }

  const out = [];
  out.push('# RFC and OpenID Connect coverage');
  out.push('');
  out.push(`<!-- Generated by scripts/rfc-coverage.mjs from the test titles: do not edit. Regenerate with \`${COMMAND}\`. -->`);
  out.push('');
  out.push('Which sections of which RFCs and OpenID Connect specifications the tests enforce. A test that checks');
  out.push('a rule a specification decides cites the section at the start of its title (`RFC 7009 §2.1 — …`,');
  out.push('`OIDC Core §3.1.2.6 — …`); this page lists those tests by section,');
  out.push('read from `test/**/*.test.ts` and `src/testing/conformance/*.ts` (the conformance suite, which every');
  out.push('storage provider runs). `npm test` fails when this page is out of date.');
  let sectionCount = 0;
  for (const spec of [...coverage.keys()].sort(compareSpecs)) {
    out.push('');
    out.push(`## ${spec} — ${specTitle(spec) ?? '(unknown)'}`);
    out.push('');
    const sections = coverage.get(spec);
    for (const section of [...sections.keys()].sort(compareSections)) {
      sectionCount += 1;
      out.push(`- **§${section}**`);
      const tests = sections.get(section).sort((a, b) => byCodePoint(a.file, b.file) || byCodePoint(a.rule, b.rule));
      for (const { rule, file } of tests) out.push(`  - ${escapeMarkdown(rule)} (\`${file}\`)`);
    }
  }
  out.push('');
  out.push(`${sectionCount} sections of ${coverage.size} specifications covered, cited by ${citing} tests.`);
  out.push('');
  return { text: out.join('\n'), problems };
}

/**
 * Keeps a title's text literal in Markdown: backslashes, backticks, `*`, brackets and angle brackets
 * are escaped (underscores inside words, as in `client_id`, are literal already).
 */
function escapeMarkdown(text) {
  return text.replace(/[\\`*[\]<>]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (c) => `\\${c}`);
}

async function main() {
  const check = process.argv.includes('--check');
  const { text, problems } = await generate();
  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  const path = join(root, OUTPUT);
  if (check) {
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current !== text) {
      process.stderr.write(`${OUTPUT} is out of date: run ${COMMAND}\n`);
      process.exit(1);
    }
    process.stdout.write(`${OUTPUT} is up to date\n`);
    return;
  }
  await writeFile(path, text);
  process.stdout.write(`wrote ${OUTPUT}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
