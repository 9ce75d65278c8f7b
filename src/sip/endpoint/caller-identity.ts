/**
 * Who is calling and what they dialled, for the voice dialogue: the user part of
 * P-Asserted-Identity (RFC 3325, what a PBX vouches for) or else of From, and the user part of
 * the Request-URI — percent-decoded, visual separators dropped, only dial characters kept, so
 * a caller ID never carries anything a log line or a lookup should not see.
 */
import { parseNameAddr } from '../message/name-addr.js';
import type { SipRequest } from '../message/sip-message.js';
import type { RequestEssentials } from '../message/validate-request.js';

function userPart(user: string | null | undefined): string | null {
  if (user === null || user === undefined) return null;
  let text: string;
  try {
    text = decodeURIComponent(user.split(';')[0]!);
  } catch {
    return null;
  }
  const cleaned = text.replace(/[-.() ]/g, '');
  return /^\+?[0-9A-Za-z*#]{1,64}$/.test(cleaned) ? cleaned : null;
}

function telOrSipUser(uri: string, sipUser: string | null | undefined): string | null {
  if (/^tel:/i.test(uri)) return userPart(uri.slice(4).split(';')[0]);
  return userPart(sipUser);
}

export function callerIdOf(request: SipRequest, essentials: RequestEssentials): string | null {
  const pai = request.headers.values('p-asserted-identity');
  for (const value of pai) {
    const a = parseNameAddr(value);
    if (a === null) continue;
    const id = telOrSipUser(a.uri, a.sip?.user);
    if (id !== null) return id;
  }
  return telOrSipUser(essentials.from.uri, essentials.from.sip?.user);
}

export function dialledOf(essentials: RequestEssentials): string | null {
  return userPart(essentials.requestUri.user);
}
