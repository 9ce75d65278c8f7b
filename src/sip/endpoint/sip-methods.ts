/**
 * Which methods the endpoint takes (Allow) and which it knows of but does not take here — a
 * 405 with Allow for those (RFC 3261 §8.2.1), a 501 for methods it has never heard of.
 */
export const ALLOWED_METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'NOTIFY'] as const;

const KNOWN = new Set<string>([
  ...ALLOWED_METHODS,
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'PUBLISH',
  'MESSAGE',
  'UPDATE',
  'REFER',
]);

export const ALLOW_HEADER = ALLOWED_METHODS.join(', ');

export function isKnownMethod(method: string): boolean {
  return KNOWN.has(method);
}

export function isAllowedMethod(method: string): boolean {
  return (ALLOWED_METHODS as readonly string[]).includes(method);
}
