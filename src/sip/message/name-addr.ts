/**
 * The address of From, To, Contact, Route and the like (RFC 3261 §25.1): either
 * `["Display Name"] <uri>;params` or a bare `uri;params`. In the bare form every
 * parameter belongs to the header (a From's tag), never to the URI — which is why a URI
 * with parameters of its own must be written in angle brackets. A URI of another scheme
 * (tel:) is kept as text with `sip` null.
 */
import { getParameter, type Parameters, parseParameters, serializeParameters } from './parameters.js';
import { parseSipUri, type SipUri } from './sip-uri.js';

export interface NameAddr {
  /** The display name as written (quotes included), or null. */
  readonly displayName: string | null;
  readonly uri: string;
  /** The URI parsed, when it is a SIP or SIPS URI. */
  readonly sip: SipUri | null;
  readonly params: Parameters;
  /** Written in angle brackets (kept so serializing gives the same form back). */
  readonly angle: boolean;
}

/**
 * An unquoted display name: RFC 3261 allows only tokens, but PBXs send UTF-8 names (張三)
 * unquoted, so anything but quotes, brackets, separators and control characters is taken.
 */
const UNQUOTED_NAME = /^[^"<>,;\x00-\x1f\x7f]+$/;
const QUOTED = /^"(?:[^"\\\r\n]|\\[^\r\n])*"/;
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+\-.]*:[^\s<>"]+$/;

export function parseNameAddr(text: string): NameAddr | null {
  const t = text.trim();
  let displayName: string | null = null;
  let rest: string;
  const quoted = QUOTED.exec(t);
  if (quoted) {
    displayName = quoted[0];
    rest = t.slice(quoted[0].length).trimStart();
    if (rest[0] !== '<') return null;
  } else {
    const lt = t.indexOf('<');
    if (lt > 0) {
      const name = t.slice(0, lt).trim();
      if (!UNQUOTED_NAME.test(name)) return null;
      displayName = name;
      rest = t.slice(lt);
    } else rest = t;
  }
  let uri: string;
  let paramText: string;
  const angle = rest[0] === '<';
  if (angle) {
    const gt = rest.indexOf('>');
    if (gt < 0) return null;
    uri = rest.slice(1, gt).trim();
    paramText = rest.slice(gt + 1);
  } else {
    const semi = rest.indexOf(';');
    uri = semi < 0 ? rest : rest.slice(0, semi);
    paramText = semi < 0 ? '' : rest.slice(semi);
    // the bare form may hold neither '?' nor ',' (§20)
    if (/[?,]/.test(uri)) return null;
  }
  if (!ABSOLUTE_URI.test(uri)) return null;
  const scheme = uri.slice(0, uri.indexOf(':')).toLowerCase();
  const sip = parseSipUri(uri);
  if ((scheme === 'sip' || scheme === 'sips') && sip === null) return null;
  const params = parseParameters(paramText);
  if (params === null) return null;
  return { displayName, uri, sip, params, angle };
}

export function serializeNameAddr(a: NameAddr): string {
  const params = serializeParameters(a.params);
  if (!a.angle && a.displayName === null) return `${a.uri}${params}`;
  return `${a.displayName === null ? '' : `${a.displayName} `}<${a.uri}>${params}`;
}

/** The tag parameter (From, To), or null. */
export function tagOf(a: NameAddr): string | null {
  return getParameter(a.params, 'tag') ?? null;
}
