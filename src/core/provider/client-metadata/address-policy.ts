import ipaddr from 'ipaddr.js';

/**
 * Which resolved addresses a Client ID Metadata Document may be fetched from. The draft
 * (draft-ietf-oauth-client-id-metadata-document-01 §6.5) says the URL "MUST NOT resolve to
 * special-use IP addresses as defined in RFC 6890": only global unicast addresses pass, every
 * special-purpose range of IANA's registries (as ipaddr.js knows them) is refused, and an IPv6
 * form that carries an IPv4 address is judged by the IPv4 address it carries.
 */

/** An address as the fetch will connect to it, and whether it may. */
export interface JudgedAddress {
  /**
   * The address in canonical form: what is checked is exactly what is connected to, whatever
   * spelling the resolver used (an IPv4-mapped IPv6 address becomes the IPv4 address it maps).
   */
  address: string;
  family: 4 | 6;
  /** Why it is refused, in words for a message ("a private address (RFC 1918)"), or null: allowed. */
  refusal: string | null;
}

/** Instance-metadata services of cloud providers, the classic SSRF target, named as such. */
const CLOUD_METADATA = ['169.254.169.254', 'fd00:ec2::254'].map((address) => ipaddr.parse(address).toNormalizedString());

const DESCRIPTIONS: Record<string, string> = {
  private: 'a private address (RFC 1918)',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local address (RFC 4193)',
  carrierGradeNat: 'a shared carrier-grade NAT address (RFC 6598)',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  deprecatedSiteLocal: 'a site-local address (RFC 3879)',
  rfc6052: 'a NAT64 address (RFC 6052)',
  rfc6145: 'an IPv4-translated address (RFC 6145)',
  '6to4': 'a 6to4 address (RFC 3056)',
  teredo: 'a Teredo address (RFC 4380)',
};

/** Judges one resolved address; null when it is not an IP address at all. */
export function judgeAddress(address: string): JudgedAddress | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return null;
  }
  if (parsed instanceof ipaddr.IPv6) {
    // ::ffff:a.b.c.d reaches a.b.c.d: judged, and connected to, as the IPv4 address it is.
    if (parsed.isIPv4MappedAddress()) {
      const judged = judgeAddress(parsed.toIPv4Address().toString());
      return judged && { ...judged, refusal: judged.refusal && `${judged.refusal}, in its IPv4-mapped IPv6 form` };
    }
    const canonical = parsed.toString();
    const range = parsed.range();
    // ::a.b.c.d (RFC 4291 §2.5.5.1) is deprecated, and ipaddr.js calls it unicast.
    if (range === 'unicast' && parsed.parts.slice(0, 6).every((part) => part === 0)) {
      const embedded = ipaddr.fromByteArray(parsed.toByteArray().slice(12)).toString();
      return { address: canonical, family: 6, refusal: `an IPv4-compatible IPv6 address (deprecated by RFC 4291) of ${embedded}` };
    }
    return { address: canonical, family: 6, refusal: refusalOf(parsed.toNormalizedString(), range) };
  }
  return { address: parsed.toString(), family: 4, refusal: refusalOf(parsed.toNormalizedString(), parsed.range()) };
}

function refusalOf(normalized: string, range: string): string | null {
  if (CLOUD_METADATA.includes(normalized)) return 'the cloud instance-metadata address';
  if (range === 'unicast') return null;
  return DESCRIPTIONS[range] ?? `a special-use address (${range})`;
}
