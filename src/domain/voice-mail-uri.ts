/**
 * A dial plan's VoiceMailUri (a umpin addition): where a caller signed in by telephone is
 * transferred, as a SIP or SIPS URI template of the PBX's voice mail in which `{extension}`
 * stands for the signed-in mailbox's extension, e.g. `sip:{extension}@pbx.contoso.com` or
 * `sip:*97{extension}@10.0.0.5:5060`. Checked strictly: the URI goes into a REFER's Refer-To
 * as it is, and the only thing ever put into it is the extension (never the PIN).
 */
import type { Issue } from './errors.js';

export const VOICE_MAIL_URI_FIELD = 'VoiceMailUri';
export const VOICE_MAIL_URI_MAX_LENGTH = 256;
export const EXTENSION_PLACEHOLDER = '{extension}';

/** Which rule a VoiceMailUri breaks; each catalog words each one. */
export type VoiceMailUriRule = 'scheme' | 'placeholder' | 'syntax' | 'length';

// RFC 3261 section 25.1, the subset a PBX's voice mail needs: user@host[:port][;params], no
// password and no headers (a header in a Refer-To would be copied into the transferred call).
const USER = String.raw`(?:[A-Za-z0-9\-_.!~*'()&=+$,]|%[0-9A-Fa-f]{2})+`;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME = `${LABEL}(?:\\.${LABEL})*\\.?`;
const IPV6 = String.raw`\[[0-9A-Fa-f:.]{2,45}\]`;
const PORT = '[0-9]{1,5}';
const PARAM = String.raw`;[A-Za-z0-9\-_.!~*'%]+(?:=[A-Za-z0-9\-_.!~*'%\[\]:]+)?`;
const SIP_URI = new RegExp(`^sips?:(${USER})@(${HOSTNAME}|${IPV6})(?::(${PORT}))?((?:${PARAM})*)$`, 'i');

/** A stand-in extension for checking the template's shape: digits, as every extension is. */
const SAMPLE_EXTENSION = '0123456789';

function issue(rule: VoiceMailUriRule): Issue {
  return {
    code: 'UMPIN_VOICE_MAIL_URI_INVALID',
    field: VOICE_MAIL_URI_FIELD,
    params: { field: VOICE_MAIL_URI_FIELD, rule, max: VOICE_MAIL_URI_MAX_LENGTH },
  };
}

/** The issues with a VoiceMailUri template; null (none) has none. The first rule broken is reported. */
export function checkVoiceMailUri(template: unknown): Issue[] {
  if (template === null || template === undefined) return [];
  if (typeof template !== 'string') return [issue('syntax')];
  if (template.length > VOICE_MAIL_URI_MAX_LENGTH) return [issue('length')];
  if (!/^sips?:/i.test(template)) return [issue('scheme')];
  const at = template.indexOf('@');
  const user = at < 0 ? '' : template.slice(0, at);
  // exactly one {extension}, in the user part, and no other braces anywhere
  if (
    template.split(EXTENSION_PLACEHOLDER).length !== 2 ||
    !user.includes(EXTENSION_PLACEHOLDER) ||
    /[{}]/.test(template.replace(EXTENSION_PLACEHOLDER, ''))
  )
    return [issue('placeholder')];
  const uri = template.replace(EXTENSION_PLACEHOLDER, SAMPLE_EXTENSION);
  const m = SIP_URI.exec(uri);
  if (!m) return [issue('syntax')];
  const port = m[3];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return [issue('syntax')];
  return [];
}

/**
 * The transfer target for a signed-in mailbox: the template with its extension filled in.
 * The extension is digits only (as every stored extension is); anything else is refused
 * rather than put into a URI.
 */
export function voiceMailTarget(template: string, extension: string): string {
  if (!/^[0-9]{1,20}$/.test(extension)) throw new Error('an extension is 1 to 20 digits');
  return template.replace(EXTENSION_PLACEHOLDER, extension);
}
