/**
 * A value of `error`, `error_description` or `scope` in the only characters RFC 6749 §5.2 (and
 * RFC 6750 §3 for a Bearer challenge) allow, %x20-21 / %x23-5B / %x5D-7E — not even escaped: a
 * section sign spelt out and dashes made hyphens, so that a description citing a rule still reads,
 * and anything else outside the set left out.
 */
export function errorText(text: string): string {
  return text
    .replace(/§/g, 'section ')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
}
