/**
 * Where 0 sends a caller: the operator's number as a SIP URI at the gateway the call came
 * through (sip:<digits>@<gateway address>), for a blind transfer (REFER). The gateway owns
 * the telephone numbering, so it routes the number as it would a call dialled from its side;
 * umpin knows no other host for it.
 */
export function operatorUri(number: string, gatewayAddress: string): string {
  // an IPv6 address is bracketed in a URI (RFC 3261 section 25.1)
  const host = gatewayAddress.includes(':') && !gatewayAddress.startsWith('[') ? `[${gatewayAddress}]` : gatewayAddress;
  return `sip:${number}@${host}`;
}
