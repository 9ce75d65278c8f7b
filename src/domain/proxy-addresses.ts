/**
 * Exchange's proxy addresses as Set-Mailbox -EmailAddresses takes them, in the two kinds
 * umpin stores: the primary SMTP address (`SMTP:` in capitals) and the UM extensions,
 * written as EUM addresses (`EUM:10231;phone-context=Contoso.contoso.com`) — the way
 * Exchange scripts change extensions. Pure: no I/O.
 */
import { UmpinError } from './errors.js';
import { isReplacement, type MultiValuedEdit } from './multi-valued.js';

export interface EumAddress {
  extension: string;
  /** `<dial plan>.<domain>`, null when the address has none */
  phoneContext: string | null;
  /** as given, for messages */
  text: string;
}

export type EumEdit = { replace: EumAddress[] } | { add: EumAddress[]; remove: EumAddress[] };

export interface EmailAddressesEdit {
  /** the new primary SMTP address, when the edit names one */
  primary?: string;
  /** the change to the UM extensions; undefined leaves them as they are */
  eum?: EumEdit;
  /** a replacing list without EUM addresses: the extensions are kept (a UM mailbox needs one) */
  eumKept: boolean;
  /** addresses umpin does not store (secondary SMTP, X.500, SIP...), to warn about */
  ignored: string[];
}

const FIELD = 'EmailAddresses';

function invalid(rule: string): UmpinError {
  return new UmpinError({ code: 'UMPIN_VALUE_INVALID', field: FIELD, params: { field: FIELD, rule } });
}

type Proxy =
  | { kind: 'primary' | 'smtp'; address: string }
  | { kind: 'eum'; eum: EumAddress }
  | { kind: 'other'; text: string };

/** Exchange's rule: no prefix means SMTP; `SMTP:` in capitals is the primary address. */
function parseProxy(raw: string): Proxy {
  const text = raw.trim();
  const colon = text.indexOf(':');
  // an address such as jwoods@contoso.com has no prefix: a colon after the @ belongs to it
  const prefix = colon > 0 && !text.slice(0, colon).includes('@') ? text.slice(0, colon) : null;
  const rest = prefix === null ? text : text.slice(colon + 1).trim();
  if (prefix === null) return { kind: 'smtp', address: text };
  if (prefix === 'SMTP') return { kind: 'primary', address: rest };
  if (prefix.toLowerCase() === 'smtp') return { kind: 'smtp', address: rest };
  if (prefix.toLowerCase() === 'eum') return { kind: 'eum', eum: parseEum(rest, text) };
  return { kind: 'other', text };
}

function parseEum(value: string, text: string): EumAddress {
  const [extension, ...options] = value.split(';').map((s) => s.trim());
  if (!extension) throw invalid(`the EUM address "${text}" has no extension before the ";"`);
  let phoneContext: string | null = null;
  for (const o of options) {
    const eq = o.indexOf('=');
    if (eq > 0 && o.slice(0, eq).trim().toLowerCase() === 'phone-context') phoneContext = o.slice(eq + 1).trim();
  }
  return { extension, phoneContext, text };
}

/** Sorts the values of -EmailAddresses into what umpin changes and what it ignores. */
export function parseEmailAddresses(value: MultiValuedEdit): EmailAddressesEdit {
  const ignored: string[] = [];
  const out: EmailAddressesEdit = { eumKept: false, ignored };
  const primaries = (list: Proxy[]) =>
    list.filter((p): p is { kind: 'primary'; address: string } => p.kind === 'primary');
  const eums = (list: Proxy[]) => list.flatMap((p) => (p.kind === 'eum' ? [p.eum] : []));
  const ignore = (list: Proxy[], except?: string) => {
    for (const p of list) {
      if (p.kind === 'other') ignored.push(p.text);
      else if ((p.kind === 'smtp' || p.kind === 'primary') && p.address !== except) ignored.push(p.address);
    }
  };

  if (isReplacement(value)) {
    const list = value.map(parseProxy);
    const smtp = primaries(list);
    if (smtp.length > 1) throw invalid('only one address may have the SMTP: prefix, the primary address');
    // without an SMTP: address, the first SMTP address of the list is the primary one, as in Exchange
    const primary =
      smtp[0]?.address ?? list.find((p): p is { kind: 'smtp'; address: string } => p.kind === 'smtp')?.address;
    if (primary !== undefined) out.primary = primary;
    ignore(list, primary);
    const eum = eums(list);
    if (eum.length > 0) out.eum = { replace: eum };
    else out.eumKept = true;
    return out;
  }

  const add = (value.add ?? []).map(parseProxy);
  const remove = (value.remove ?? []).map(parseProxy);
  const smtp = primaries(add);
  if (smtp.length > 1) throw invalid('only one address may have the SMTP: prefix, the primary address');
  if (smtp[0]) out.primary = smtp[0].address;
  ignore(add, out.primary);
  ignore(remove);
  const [eumAdd, eumRemove] = [eums(add), eums(remove)];
  if (eumAdd.length > 0 || eumRemove.length > 0) out.eum = { add: eumAdd, remove: eumRemove };
  return out;
}

/** Exchange's PhoneContext of a dial plan: its name and the domain of the user's address. */
export function phoneContext(dialPlan: string, primarySmtpAddress: string): string {
  return `${dialPlan}.${primarySmtpAddress.slice(primarySmtpAddress.lastIndexOf('@') + 1)}`;
}

/** The EUM addresses of a UM mailbox's extensions, the first in capitals (the primary one). */
export function eumAddresses(extensions: readonly string[], dialPlan: string, primarySmtpAddress: string): string[] {
  const context = phoneContext(dialPlan, primarySmtpAddress);
  return extensions.map((e, i) => `${i === 0 ? 'EUM' : 'eum'}:${e};phone-context=${context}`);
}

/**
 * The extensions after the edit. An address whose phone-context names another dial plan
 * than the mailbox's is refused: umpin keeps one dial plan per mailbox. As with every
 * multi-valued edit, an extension both added and removed ends up absent.
 */
export function applyEumEdit(
  current: readonly string[],
  edit: EumEdit,
  dialPlan: string,
  primarySmtpAddress: string,
): string[] {
  const expected = phoneContext(dialPlan, primarySmtpAddress);
  const check = (a: EumAddress) => {
    if (a.phoneContext === null) return;
    const pc = a.phoneContext.toLowerCase();
    if (pc !== expected.toLowerCase() && !pc.startsWith(`${dialPlan.toLowerCase()}.`)) {
      throw invalid(
        `the EUM address "${a.text}" names phone-context ${a.phoneContext}, but the mailbox is in dial plan ${dialPlan} (phone-context=${expected})`,
      );
    }
  };
  if ('replace' in edit) {
    edit.replace.forEach(check);
    return edit.replace.map((a) => a.extension);
  }
  [...edit.add, ...edit.remove].forEach(check);
  const removed = new Set(edit.remove.map((a) => a.extension));
  const out = current.filter((e) => !removed.has(e));
  for (const a of edit.add) if (!removed.has(a.extension) && !out.includes(a.extension)) out.push(a.extension);
  return out;
}
