/**
 * Whether a value is an Error, whichever realm made it: Node's own socket errors (ECONNREFUSED …) are not
 * `instanceof Error` inside a vm context such as Jest's, and an outage must be recognised there as in production.
 * (`Error.isError` says the same from Node.js 24 on.)
 */
export const isError = (value: unknown): value is Error =>
  value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
