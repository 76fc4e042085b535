/**
 * Whether an installed version satisfies one of our peer-dependency ranges, for the two forms
 * package.json uses: an exact version (`7.10.0-7.561d…`, prerelease included) and a caret range on
 * a release (`^8.23.1`). The rules are node-semver's for these forms; semver itself is no
 * dependency of the published package, so it cannot be assumed installed. Any other form is
 * refused loudly: a range this file does not understand must not pass as satisfied.
 */

interface Version {
  major: number;
  minor: number;
  patch: number;
  /** The prerelease identifiers as written (`7.561d…`), or '' for a release. */
  prerelease: string;
}

// Build metadata (`+…`) is accepted and ignored, as semver compares without it.
const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease: match[4] ?? '' };
}

/** A peer range in one of the supported forms. */
export type PeerRange = { kind: 'exact'; version: string } | { kind: 'caret'; version: string };

/** Reads a range, or throws naming it when it has a form this check does not implement. */
export function parsePeerRange(range: string): PeerRange {
  const text = range.trim();
  const caret = text.startsWith('^');
  const version = parseVersion(caret ? text.slice(1) : text);
  if (version === undefined || (caret && version.prerelease !== '')) {
    throw new Error(`unsupported peer dependency range "${range}": only exact versions and ^MAJOR.MINOR.PATCH are checked`);
  }
  return { kind: caret ? 'caret' : 'exact', version: caret ? text.slice(1) : text };
}

/**
 * Whether `installed` satisfies `range`. An exact range needs the same version (prerelease
 * included). `^X.Y.Z` allows changes that do not modify the left-most non-zero part: `^8.23.1` is
 * `>=8.23.1 <9.0.0`, `^0.4.3` is `>=0.4.3 <0.5.0`, `^0.0.3` is `0.0.3` only; like npm's own peer
 * check, it admits no prerelease. An unparseable installed version satisfies nothing.
 */
export function satisfiesPeerRange(installed: string, range: string): boolean {
  const wanted = parsePeerRange(range);
  const have = parseVersion(installed);
  const want = parseVersion(wanted.version)!;
  if (have === undefined) return false;
  if (wanted.kind === 'exact') {
    return have.major === want.major && have.minor === want.minor && have.patch === want.patch && have.prerelease === want.prerelease;
  }
  if (have.prerelease !== '') return false;
  const atLeast =
    have.major !== want.major ? have.major > want.major : have.minor !== want.minor ? have.minor > want.minor : have.patch >= want.patch;
  if (!atLeast) return false;
  if (want.major > 0) return have.major === want.major;
  if (want.minor > 0) return have.major === 0 && have.minor === want.minor;
  return have.major === 0 && have.minor === 0 && have.patch === want.patch;
}
