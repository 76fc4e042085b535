/**
 * Decodes an `application/x-www-form-urlencoded` body literally, as the WHATWG URL standard defines
 * it (the encoding RFC 6749 Appendix B prescribes): names are taken as written and a repeated
 * name becomes an array of its values, in order.
 *
 * co-body's default decoder (`qs` with `allowDots`) is not used because it rewrites names
 * (`client.id=x` becomes `{ client: { id } }`, `scope[]=x` an array) and turns more than 20
 * repetitions into an object: the interactor could then no longer see that a parameter was sent
 * twice, which RFC 6749 §3.1 requires it to refuse.
 */

/** A decoded form: one string per name, or every value in order when the name was repeated. */
export type FormParameters = Record<string, string | string[]>;

/**
 * Decodes a form body. Throws a `SyntaxError` for a parameter named `__proto__`, which no OAuth
 * request uses and which would otherwise reach object-merging code downstream as a prototype
 * assignment (the same stance co-body takes for JSON bodies).
 */
export function parseFormParameters(text: string): FormParameters {
  const parameters: FormParameters = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (name === '__proto__') throw new SyntaxError('form parameter name not allowed');
    const previous = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
    if (previous === undefined) parameters[name] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else parameters[name] = [previous, value];
  }
  return parameters;
}
