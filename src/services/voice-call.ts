/**
 * What a telephone call needs to know before a PIN is keyed: which dial plan the dialled
 * number belongs to (its default language, LogonFailuresBeforeDisconnect), and which mailbox
 * a calling number or a keyed extension names (its extension, to offer it; its language, to
 * speak it). A guess that decides nothing: verifyLogon locates the mailbox again the same way,
 * decides, and counts failures. Only the voice gateway may ask.
 */
import { DIAL_PLAN_DEFAULTS, type DialPlan } from '../domain/dial-plan.js';
import { UmpinError } from '../domain/errors.js';
import { voiceMailTarget } from '../domain/voice-mail-uri.js';
import type { Actor } from './actor.js';
import { authorize } from './permissions.js';
import { inScope } from './scope.js';
import type { Deps } from './ports/deps.js';
import { locateMailbox, type MailboxLocator } from './voice-logon.js';

export interface VoiceCallPlan {
  /** the dial plan's name, to pass on with a keyed extension; null when the dialled number names none */
  dialPlan: string | null;
  /** the dial plan's DefaultLanguage, else the organisation's, else en-US */
  language: string;
  logonFailuresBeforeDisconnect: number;
  /** NumberOfDigitsInExtension, when the dial plan is known */
  extensionDigits: number | null;
  /** the dial plan's OperatorExtension: where 0 transfers before a mailbox is named */
  operatorExtension: string | null;
}

export interface VoiceCallee {
  extension: string;
  /** the mailbox's language, else its dial plan's default */
  language: string;
  dialPlan: string;
  /** where 0 transfers its caller: the mailbox's OperatorNumber, else its dial plan's OperatorExtension; null: none */
  operatorNumber: string | null;
  /**
   * The PBX's voice mail of this mailbox: its dial plan's VoiceMailUri with the extension
   * filled in; null: none. The dialogue transfers a caller there only once signed in.
   */
  voiceMail: string | null;
}

const digitsOnly = (s: string): string => s.replace(/[^0-9]/g, '');

/** The dial plan whose access number was dialled; the only dial plan when there is one and nothing matched. */
function planFor(plans: readonly DialPlan[], dialled: string | null): DialPlan | null {
  const d = digitsOnly(dialled ?? '');
  const byNumber =
    d === ''
      ? []
      : plans.filter((p) => p.voiceAccessNumbers.some((n) => digitsOnly(n) === d || digitsOnly(n).endsWith(d)));
  if (byNumber.length === 1) return byNumber[0]!;
  return plans.length === 1 ? plans[0]! : null;
}

export async function voiceCallPlan(
  deps: Deps,
  actor: Actor,
  call: { dialled: string | null },
): Promise<VoiceCallPlan> {
  authorize(actor, 'voice:logon', 'VerifyLogon');
  // a scoped gateway's calls are its dial plans' calls: another plan's access number is not one of them
  const plan = planFor(
    (await deps.store.listDialPlans()).filter((d) => inScope(actor, d.id)),
    call.dialled,
  );
  const org = plan ? null : await deps.store.getOrganization();
  return {
    dialPlan: plan?.name ?? null,
    language: plan?.defaultLanguage ?? org?.defaultLanguage ?? DIAL_PLAN_DEFAULTS.defaultLanguage,
    logonFailuresBeforeDisconnect:
      plan?.logonFailuresBeforeDisconnect ?? DIAL_PLAN_DEFAULTS.logonFailuresBeforeDisconnect,
    extensionDigits: plan?.numberOfDigitsInExtension ?? null,
    operatorExtension: plan?.operatorExtension ?? null,
  };
}

/** The mailbox a calling number or an extension names, or null when it names none (or several). */
export async function voiceCallee(deps: Deps, actor: Actor, loc: MailboxLocator): Promise<VoiceCallee | null> {
  authorize(actor, 'voice:logon', 'VerifyLogon');
  try {
    const m = await locateMailbox(
      deps,
      { extension: loc.extension, callerId: loc.callerId, dialPlan: loc.dialPlan },
      actor,
    );
    authorize(actor, 'voice:logon', 'VerifyLogon', {
      recipientId: m.recipient.id,
      dialPlanId: m.dialPlan.id,
      label: m.recipient.primarySmtpAddress,
    });
    const extension =
      loc.extension !== undefined
        ? digitsOnly(loc.extension)
        : m.mailbox.extensions.find((e) => digitsOnly(loc.callerId ?? '').endsWith(e));
    if (extension === undefined) return null;
    return {
      extension,
      language: m.recipient.language ?? m.dialPlan.defaultLanguage,
      dialPlan: m.dialPlan.name,
      operatorNumber: m.mailbox.operatorNumber ?? m.dialPlan.operatorExtension,
      voiceMail: m.dialPlan.voiceMailUri ? voiceMailTarget(m.dialPlan.voiceMailUri, extension) : null,
    };
  } catch (err) {
    // another dial plan's mailbox is not found for a scoped gateway (locateMailbox), so no refusal is left to hide here
    if (err instanceof UmpinError && err.code === 'UMPIN_CALLER_NOT_RECOGNIZED') return null;
    throw err;
  }
}
