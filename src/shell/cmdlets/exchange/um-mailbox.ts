/**
 * Enable-, Disable-, Get- and Set-UMMailbox as Exchange documents them. Objects come out
 * as Exchange's UMMailbox, so `Get-UMMailbox | Set-UMMailboxPIN` binds by Identity and
 * `Import-Csv users.csv | Enable-UMMailbox -UMMailboxPolicy X` binds CSV columns by name.
 */
import {
  filterableProperties,
  sortableProperties,
  UM_MAILBOX_CATALOG,
} from '../../../services/recipient-properties.js';
import type { EnableUMMailboxInput, SetUMMailboxInput, UMMailboxView } from '../../../services/um-mailboxes.js';
import { KEPT_UM_PROPERTY_NAMES } from '../../../domain/kept-um-properties.js';
import type { Page } from '../../../domain/page.js';
import type { BoundParameters, CmdletContext, CmdletDefinition, MultiValuedValue } from '../../cmdlet.js';
import { psObject, type PSObject } from '../../ps-object.js';
import { flag, given, text } from './bound-values.js';
import {
  CREDENTIAL,
  DOMAIN_CONTROLLER,
  IGNORE_DEFAULT_SCOPE,
  READ_FROM_DOMAIN_CONTROLLER,
} from './directory-only-parameters.js';
import { identityParameter, UM_MAILBOX_IDENTITY_HELP } from './identity-parameter.js';
import { invalidValue } from './invalid-value.js';
import { filterText } from './filter-parameter.js';
import { multiValuedEdit } from './multi-valued-edit.js';
import { resultSizeOf, warnTruncated } from './result-size.js';

export const UM_MAILBOX_TYPE = 'UMMailbox';

/** Mailboxes read per request: the API's largest page. */
const PAGE = 1000;

/** Exchange's UMMailbox object (the part umpin keeps), in Format-List order. */
export function umMailboxObject(v: UMMailboxView, umEnabled = true): PSObject {
  const domain = v.primarySmtpAddress.slice(v.primarySmtpAddress.lastIndexOf('@') + 1);
  return psObject(UM_MAILBOX_TYPE, {
    Name: v.displayName,
    DisplayName: v.displayName,
    Alias: v.alias,
    PrimarySmtpAddress: v.primarySmtpAddress,
    // Exchange's proxy addresses: the primary SMTP address and one EUM address per extension
    EmailAddresses: [
      `SMTP:${v.primarySmtpAddress}`,
      ...v.extensions.map((e) => `EUM:${e};phone-context=${v.umDialPlan}.${domain}`),
    ],
    UMEnabled: umEnabled,
    Extensions: [...v.extensions],
    UMMailboxPolicy: v.umMailboxPolicy,
    UMDialPlan: v.umDialPlan,
    SIPResourceIdentifier: v.sipResourceIdentifier,
    SubscriberAccessEnabled: v.subscriberAccessEnabled,
    PinlessAccessToVoiceMailEnabled: v.pinlessAccessToVoiceMailEnabled,
    OperatorNumber: v.operatorNumber,
    PinChangeAllowed: v.pinChangeAllowed,
    WhenUMEnabled: new Date(v.enabledAt),
    Identity: v.identity,
    IsValid: true,
    ObjectState: 'Unchanged',
  });
}

// ---------------------------------------------------------------------------------------
// Enable-UMMailbox

const enableUMMailbox: CmdletDefinition = {
  name: 'Enable-UMMailbox',
  synopsis: 'Enables an existing mailbox for Unified Messaging: extension, UM mailbox policy and a first PIN.',
  description:
    "Enable-UMMailbox makes a mailbox user a voice-mail user: it assigns a UM mailbox policy (and so its dial plan), one or more extensions unique in that dial plan, and a first PIN, typed with -PIN or generated to fit the policy. A welcome e-mail with the PIN, the voice-access number, the extension and the policy's UMEnabledText goes to the user or to -NotifyEmail. A mailbox disabled with its properties kept (Disable-UMMailbox, whose -KeepProperties defaults to $true) gets back its extensions (when -Extensions is omitted, the policy is of the same dial plan and they are still free; one taken meanwhile is refused, naming it), its SIP address and its voice settings; parameters given win over kept ones, and the PIN is always new. It writes the new UMMailbox object. Piped objects bind by property name, so a CSV with the columns Identity, Extensions and Pin can be imported straight into it.",
  parameters: [
    identityParameter(
      true,
      'The mailbox user to enable: name (display name), alias, e-mail address, user principal name, GUID or domain\\account.',
    ),
    {
      name: 'UMMailboxPolicy',
      type: 'string',
      mandatory: true,
      pipeline: { byPropertyName: true },
      help: 'The UM mailbox policy to assign, by name or GUID. Its dial plan decides how many digits an extension has.',
    },
    {
      name: 'Extensions',
      type: 'string[]',
      pipeline: { byPropertyName: true },
      help: "The extension number, or several, each with exactly the dial plan's number of digits and not used by anyone else in that dial plan. Omitted, the extensions kept when the mailbox was disabled come back, if still free.",
    },
    {
      name: 'PIN',
      type: 'string',
      pipeline: { byPropertyName: true },
      help: 'The first PIN, 4 to 24 digits and allowed by the policy. Omit it to have umpin generate one of MinPINLength digits; either way it is e-mailed.',
    },
    {
      name: 'PINExpired',
      type: 'bool',
      pipeline: { byPropertyName: true },
      help: '$true (the default) makes the user choose a new PIN at the first logon; $false lets the first PIN stand.',
    },
    {
      name: 'NotifyEmail',
      type: 'string',
      pipeline: { byPropertyName: true },
      help: "Sends the welcome e-mail, with the PIN, to this address instead of the user's own.",
    },
    {
      name: 'SIPResourceIdentifier',
      type: 'string',
      pipeline: { byPropertyName: true },
      help: "The user's SIP address (such as tonysmith@contoso.com) or E.164 number, for SIP URI and E.164 dial plans. Omitted, the one kept when the mailbox was disabled comes back.",
    },
    {
      name: 'ValidateOnly',
      type: 'switch',
      help: 'Checks everything (the user, policy, extensions, PIN and address) and reports the result, changing nothing and sending no e-mail.',
    },
  ],
  ignoredParameters: [
    {
      name: 'AutomaticSpeechRecognitionEnabled',
      type: 'bool',
      reason: 'umpin has no speech recognition; PINs are keyed as DTMF only',
    },
    DOMAIN_CONTROLLER,
    {
      name: 'EnableCloudVoiceMail',
      type: 'switch',
      reason: 'umpin has no cloud voice mail (Skype for Business Online)',
    },
    IGNORE_DEFAULT_SCOPE,
    {
      name: 'PilotNumber',
      type: 'string',
      reason: "umpin uses the dial plan's voice-access numbers (Set-UMDialPlan -AccessTelephoneNumbers)",
    },
    {
      name: 'SendWelcomeMail',
      type: 'bool',
      reason: 'applies to cloud voice mail only; umpin always sends the welcome e-mail, which carries the PIN',
    },
  ],
  examples: [
    {
      code: 'Enable-UMMailbox -Identity tonysmith@contoso.com -UMMailboxPolicy MyUMMailboxPolicy -Extensions 51234 -PIN 5643892 -NotifyEmail administrator@contoso.com -PINExpired $true',
      description:
        'Enables Tony Smith for voice mail under the policy MyUMMailboxPolicy with extension 51234 and the first PIN 5643892, which he must change at his first logon; the welcome e-mail goes to administrator@contoso.com.',
      source: 'microsoft',
      setup:
        'Disable-UMMailbox tonysmith -Confirm:$false\nNew-UMMailboxPolicy -Name MyUMMailboxPolicy -UMDialPlan Contoso',
    },
    {
      code: 'Enable-UMMailbox -Identity tonysmith@contoso.com -UMMailboxPolicy MyUMMailboxPolicy -Extensions 51234 -PIN 5643892 -SIPResourceIdentifier "tonysmith@contoso.com" -PINExpired $true',
      description:
        'Enables Tony Smith for voice mail as above and also records his SIP address; the welcome e-mail goes to Tony himself.',
      source: 'microsoft',
      setup:
        'Disable-UMMailbox tonysmith -Confirm:$false\nNew-UMMailboxPolicy -Name MyUMMailboxPolicy -UMDialPlan Contoso',
    },
    {
      code: "Enable-UMMailbox -Identity tonysmith -UMMailboxPolicy 'Contoso Default Policy' -Extensions 10231",
      description:
        'Enables Tony Smith under the default policy with extension 10231; umpin generates his first PIN and e-mails it to him.',
      source: 'umpin',
      setup: 'Disable-UMMailbox tonysmith -Confirm:$false',
    },
    {
      code: "Enable-UMMailbox -Identity kimakers -UMMailboxPolicy 'Contoso Default Policy' -Extensions 10232 -ValidateOnly",
      description:
        'Checks that Kim Akers could be enabled with extension 10232, without enabling her or sending any e-mail.',
      source: 'umpin',
      setup: 'Disable-UMMailbox kimakers -Confirm:$false',
    },
    {
      code: "Enable-UMMailbox -Identity kimakers -UMMailboxPolicy 'Contoso Default Policy'",
      description:
        'Enables Kim Akers again after Disable-UMMailbox kept her properties: her extension, SIP address and voice settings come back, and a new PIN is generated and e-mailed to her.',
      source: 'umpin',
      setup: 'Disable-UMMailbox kimakers -Confirm:$false',
    },
  ],
  confirmImpact: 'medium',
  outputs: [
    {
      typeName: UM_MAILBOX_TYPE,
      view: { kind: 'table', properties: ['Name', 'UMEnabled', 'Extensions', 'UMMailboxPolicy'] },
    },
  ],
  async process(ctx, params) {
    const identity = String(params.Identity ?? '');
    const validateOnly = flag(params, 'ValidateOnly') === true;
    // -ValidateOnly changes nothing, so there is nothing to confirm
    if (!validateOnly && !(await ctx.shouldProcess(identity, 'Enable-UMMailbox'))) return;
    const input: EnableUMMailboxInput = { identity, umMailboxPolicy: String(params.UMMailboxPolicy ?? '') };
    const extensions = given(params, 'Extensions');
    if (extensions !== undefined) {
      const list = (Array.isArray(extensions) ? extensions : [extensions])
        .map((e) => String(e).trim())
        .filter((e) => e !== '');
      if (list.length > 0) input.extensions = list;
    }
    const pin = text(params, 'PIN');
    if (pin !== undefined) input.pin = pin;
    const pinExpired = flag(params, 'PINExpired');
    if (pinExpired !== undefined) input.pinExpired = pinExpired;
    const notifyEmail = text(params, 'NotifyEmail');
    if (notifyEmail !== undefined) input.notifyEmail = notifyEmail;
    const sip = text(params, 'SIPResourceIdentifier');
    if (sip !== undefined) input.sipResourceIdentifier = sip;
    if (validateOnly) input.validateOnly = true;
    const result = await ctx.ops.enableUMMailbox(input);
    ctx.emit(umMailboxObject(result, !result.validateOnly));
  },
};

// ---------------------------------------------------------------------------------------
// Disable-UMMailbox

const disableUMMailbox: CmdletDefinition = {
  name: 'Disable-UMMailbox',
  synopsis: 'Disables Unified Messaging for a UM-enabled mailbox.',
  description: `Disable-UMMailbox takes a mailbox out of voice mail: its PIN, PIN history, failed-logon count and lockout are erased, PIN e-mails still waiting to go out are withdrawn, and its extensions are freed for others to take. The mailbox user stays. As in Exchange, its UM settings are kept unless -KeepProperties $false is given: ${KEPT_UM_PROPERTY_NAMES.join(', ')}. Enable-UMMailbox brings them back (the extensions if they are still free), with a new PIN. It asks for confirmation unless -Confirm:$false is given.`,
  parameters: [
    identityParameter(true, UM_MAILBOX_IDENTITY_HELP),
    {
      name: 'KeepProperties',
      type: 'bool',
      help: `$true (the default) keeps the mailbox's UM settings for the next Enable-UMMailbox: ${KEPT_UM_PROPERTY_NAMES.join(', ')}. The extensions are not reserved meanwhile. $false keeps nothing. The PIN and its history, failures and lockout are never kept.`,
    },
  ],
  ignoredParameters: [DOMAIN_CONTROLLER, IGNORE_DEFAULT_SCOPE],
  examples: [
    {
      code: 'Disable-UMMailbox -Identity tonysmith@contoso.com',
      description:
        'Disables voice mail for Tony Smith, after asking for confirmation; his extension, policy and voice settings are kept for when he is enabled again.',
      source: 'microsoft',
    },
    {
      code: 'Disable-UMMailbox -Identity kimakers -Confirm:$false',
      description: 'Disables voice mail for Kim Akers without asking, as a script would.',
      source: 'umpin',
    },
    {
      code: 'Disable-UMMailbox -Identity kimakers -KeepProperties $false -Confirm:$false',
      description:
        'Disables voice mail for Kim Akers and keeps none of her UM settings: a later Enable-UMMailbox starts afresh.',
      source: 'umpin',
    },
  ],
  confirmImpact: 'high',
  async process(ctx, params) {
    const identity = String(params.Identity ?? '');
    if (!(await ctx.shouldProcess(identity, 'Disable-UMMailbox'))) return;
    const keepProperties = flag(params, 'KeepProperties');
    await ctx.ops.disableUMMailbox(identity, keepProperties === undefined ? {} : { keepProperties });
  },
};

// ---------------------------------------------------------------------------------------
// Get-UMMailbox

/**
 * -SortBy as the service takes it. Exchange also sorts by server; umpin has none, so that
 * sort is dropped with a warning and the order stays as it is.
 */
function sortByOf(ctx: CmdletContext, params: BoundParameters): string | undefined {
  const v = text(params, 'SortBy');
  if (v !== undefined && v.trim().replace(/^-/, '').toLowerCase() === 'serverlegacydn') {
    ctx.warn('umpin has no mailbox servers: -SortBy ServerLegacyDN leaves the results in their usual order.');
    return undefined;
  }
  return v;
}

const getUMMailbox: CmdletDefinition = {
  name: 'Get-UMMailbox',
  synopsis: 'Shows UM-enabled mailboxes: extensions, UM mailbox policy, dial plan.',
  description:
    "Get-UMMailbox shows one UM-enabled mailbox (-Identity) or lists them all, up to -ResultSize, optionally narrowed by an ambiguous-name search (-Anr) or an OPATH filter (-Filter) and sorted (-SortBy). The filter compares the UMMailbox object's properties and its PIN state, for example \"UMMailboxPolicy -eq 'Contoso Default Policy'\", \"Extensions -like '102*'\" or {LockedOut -eq $true}, with -eq, -ne, -like, -notlike, -gt, -lt, -ge and -le, joined by -and, -or and -not. As in Exchange, the filter and the sort are evaluated where the mailboxes are kept (with --server, on the server), not on the listed objects.",
  parameters: [
    identityParameter(false, `${UM_MAILBOX_IDENTITY_HELP} Omit it to list every UM-enabled mailbox.`),
    {
      name: 'Anr',
      type: 'string',
      help: 'Ambiguous name resolution: lists the UM-enabled mailboxes whose display name, alias or e-mail address begins with this text. Cannot be combined with -Identity.',
    },
    {
      name: 'Filter',
      type: 'string',
      help: `An OPATH filter, such as "UMMailboxPolicy -eq 'Contoso Default Policy'" or {LockedOut -eq $true}: comparisons with -eq, -ne, -like, -notlike, -gt, -lt, -ge, -le, values quoted or $true, $false, $null, joined by -and, -or, -not and parentheses. Properties: ${filterableProperties(UM_MAILBOX_CATALOG).join(', ')} (LockedOut, PinExpired and FirstTimeUser are the PIN state Get-UMMailboxPIN shows).`,
    },
    {
      name: 'ResultSize',
      type: 'unlimited',
      help: 'The most mailboxes to return: a number, or Unlimited for all. The default is 1000.',
    },
    {
      name: 'SortBy',
      type: 'string',
      help: `A property to sort the results by, ascending ('-Alias' or 'Alias desc', quoted, sorts descending): Name or DisplayName as in Exchange, or another of ${sortableProperties(UM_MAILBOX_CATALOG).join(', ')}.`,
    },
  ],
  ignoredParameters: [
    CREDENTIAL,
    DOMAIN_CONTROLLER,
    IGNORE_DEFAULT_SCOPE,
    { name: 'OrganizationalUnit', type: 'string', reason: 'umpin has no organizational units' },
    READ_FROM_DOMAIN_CONTROLLER,
  ],
  examples: [
    {
      code: 'Get-UMMailbox',
      description: 'Lists every UM-enabled mailbox with its extensions and UM mailbox policy.',
      source: 'microsoft',
    },
    {
      code: 'Get-UMMailbox -Identity tonysmith@contoso.com | Format-List',
      description: "Shows every UM property umpin keeps for Tony Smith's mailbox.",
      source: 'microsoft',
    },
    {
      code: 'Get-UMMailbox -Filter "UMMailboxPolicy -eq \'Contoso Default Policy\'" -SortBy DisplayName',
      description: 'Lists the mailboxes under the Contoso Default Policy, sorted by display name.',
      source: 'umpin',
    },
    {
      code: 'Get-UMMailbox -Anr tony',
      description: 'Finds the UM-enabled mailboxes whose name, alias or address begins with "tony".',
      source: 'umpin',
    },
    {
      code: 'Get-UMMailbox -Filter "Extensions -like \'1024*\'" | Format-Table Name,Extensions',
      description: 'Lists who holds the extensions from 10240 to 10249.',
      source: 'umpin',
    },
    {
      code: 'Get-UMMailbox -Filter {LockedOut -eq $true} | Format-Table Name,Extensions',
      description:
        'Lists the mailboxes locked out after too many wrong PINs, read from an index of them however many mailboxes there are; Set-UMMailboxPIN -LockedOut $false unlocks one.',
      source: 'umpin',
      setup: 'Set-UMMailboxPIN -Identity kimakers -LockedOut $true',
    },
  ],
  outputs: [
    {
      typeName: UM_MAILBOX_TYPE,
      view: { kind: 'table', properties: ['Name', 'UMEnabled', 'Extensions', 'UMMailboxPolicy'] },
    },
  ],
  async process(ctx, params) {
    // the service filters and sorts, in the store's query: pages come already matched and in order
    const filter = filterText(params);
    const sortBy = sortByOf(ctx, params);
    const size = resultSizeOf(params);
    const identity = text(params, 'Identity');
    const anr = text(params, 'Anr');
    if (identity !== undefined && anr !== undefined)
      throw invalidValue('Anr', 'it cannot be used together with -Identity');
    if (identity !== undefined && filter === undefined) {
      ctx.emit(umMailboxObject(await ctx.ops.getUMMailbox(identity)));
      return;
    }
    let emitted = 0;
    let cursor: string | null = null;
    do {
      if (ctx.signal.aborted) return;
      const page: Page<UMMailboxView> = await ctx.ops.listUMMailboxes({
        identity,
        search: anr,
        filter,
        sortBy,
        cursor,
        limit: Math.min(PAGE, size - emitted + 1),
      });
      for (const v of page.items) {
        if (emitted >= size) {
          warnTruncated(ctx, params, size);
          return;
        }
        ctx.emit(umMailboxObject(v));
        emitted++;
      }
      cursor = page.next;
      if (cursor && emitted >= size) {
        warnTruncated(ctx, params, size);
        return;
      }
    } while (cursor);
  },
};

// ---------------------------------------------------------------------------------------
// Set-UMMailbox

/** Exchange's Set-UMMailbox settings umpin has no use for, each with why. */
const SET_IGNORED = [
  { name: 'AirSyncNumbers', type: 'multivalued', reason: 'Exchange 2010 hosted voice mail only' },
  { name: 'AllowUMCallsFromNonUsers', type: 'string', reason: 'umpin has no directory search for callers' },
  { name: 'AnonymousCallersCanLeaveMessages', type: 'bool', reason: 'umpin takes no voice messages' },
  { name: 'AutomaticSpeechRecognitionEnabled', type: 'bool', reason: 'umpin has no speech recognition' },
  { name: 'CallAnsweringAudioCodec', type: 'string', reason: 'umpin records no voice messages' },
  { name: 'CallAnsweringRulesEnabled', type: 'bool', reason: 'umpin has no call-answering rules' },
  DOMAIN_CONTROLLER,
  { name: 'FaxEnabled', type: 'bool', reason: 'umpin has no fax' },
  IGNORE_DEFAULT_SCOPE,
  { name: 'ImListMigrationCompleted', type: 'bool', reason: 'umpin keeps no Lync or Skype for Business contact lists' },
  { name: 'MissedCallNotificationEnabled', type: 'bool', reason: 'umpin sends no missed-call notifications' },
  { name: 'PhoneNumber', type: 'string', reason: 'Exchange Online consumer dial plans only' },
  { name: 'PhoneProviderId', type: 'string', reason: 'Exchange Online only' },
  { name: 'PlayOnPhoneEnabled', type: 'bool', reason: 'umpin has no Play on Phone' },
  { name: 'TUIAccessToCalendarEnabled', type: 'bool', reason: 'umpin gives no telephone access to calendars' },
  { name: 'TUIAccessToEmailEnabled', type: 'bool', reason: 'umpin gives no telephone access to e-mail' },
  { name: 'UMSMSNotificationOption', type: 'string', reason: 'umpin sends no text-message notifications' },
  { name: 'VerifyGlobalRoutingEntry', type: 'switch', reason: 'Exchange Online only' },
  { name: 'VoiceMailAnalysisEnabled', type: 'bool', reason: 'umpin sends no voice mail away for analysis' },
] as const;

const setUMMailbox: CmdletDefinition = {
  name: 'Set-UMMailbox',
  synopsis: 'Changes the UM settings of a UM-enabled mailbox: its UM mailbox policy and, in umpin, its extensions.',
  description:
    "Set-UMMailbox changes a UM-enabled mailbox. -UMMailboxPolicy moves it to another policy, which may belong to another dial plan; its extensions must then fit that dial plan. -SubscriberAccessEnabled, -PinlessAccessToVoiceMailEnabled and -OperatorNumber set how the mailbox's user reaches voice mail by telephone; umpin's -PinChangeAllowed $false leaves the PIN to administrators alone. -Name changes the user's display name (recorded in the audit log as Set-Mailbox). Exchange has no parameter here for extensions (they change as EUM proxy addresses with Set-Mailbox -EmailAddresses, which umpin also accepts); umpin adds -Extensions and -SIPResourceIdentifier. Like Exchange, it writes nothing to the pipeline.",
  parameters: [
    identityParameter(true, UM_MAILBOX_IDENTITY_HELP),
    {
      name: 'UMMailboxPolicy',
      type: 'string',
      help: 'The UM mailbox policy to move the mailbox to, by name or GUID. A policy of another dial plan moves the mailbox to that dial plan.',
    },
    {
      name: 'Extensions',
      type: 'multivalued',
      umpinAddition: true,
      help: "The mailbox's extensions: a list replaces them all (-Extensions 10299), a hashtable edits them (-Extensions @{Add='10298'; Remove='10231'}). Each has the dial plan's number of digits and is unique in it.",
    },
    {
      name: 'SIPResourceIdentifier',
      type: 'string',
      umpinAddition: true,
      help: "The user's SIP address or E.164 number; $null clears it.",
    },
    {
      name: 'SubscriberAccessEnabled',
      type: 'bool',
      help: 'Whether the user may sign in to voice mail by telephone (default $true). $false refuses every telephone logon to this mailbox, whatever its policy allows: the way to block voice access for one person.',
    },
    {
      name: 'PinlessAccessToVoiceMailEnabled',
      type: 'bool',
      help: "Whether a call from the mailbox's own extension is signed in without a PIN (default $false). It also needs the policy's AllowPinlessVoiceMailAccess $true; a locked-out mailbox, or one whose PIN must be changed, is still asked for the PIN.",
    },
    {
      name: 'OperatorNumber',
      type: 'string',
      help: "The number a caller of this mailbox reaches by pressing 0: 1 to 20 digits, in place of the dial plan's operator. $null removes it.",
    },
    {
      name: 'PinChangeAllowed',
      type: 'bool',
      umpinAddition: true,
      help: 'Whether the user may change the PIN on the phone or reset it on the self-service page (default $true). $false suits shared and service mailboxes: only an administrator sets the PIN (Set-UMMailboxPIN), and an expired PIN is not forced to change.',
    },
    { name: 'Name', type: 'string', help: "The user's display name, at most 64 characters in Exchange." },
  ],
  ignoredParameters: SET_IGNORED,
  examples: [
    {
      code: 'Set-UMMailbox -Identity tony@contoso.com -CallAnsweringAudioCodec Wma -CallAnsweringRulesEnabled $false -FaxEnabled $false -UMSMSNotificationOption VoiceMail',
      description:
        'In Exchange, sets the codec of voice messages, turns off call-answering rules, fax and missed-call text messages for tony@contoso.com. umpin has none of these features: it warns about each parameter and changes nothing.',
      source: 'microsoft',
      setup:
        "New-Mailbox -Name 'Tony Anderson' -Alias tony -UserPrincipalName tony@contoso.com -PrimarySmtpAddress tony@contoso.com\nEnable-UMMailbox -Identity tony@contoso.com -UMMailboxPolicy 'Contoso Default Policy' -Extensions 10260",
    },
    {
      code: 'Set-UMMailbox -Identity tony@contoso.com -TUIAccessToCalendarEnabled $false -TUIAccessToEmailEnabled $false',
      description:
        'In Exchange, stops tony@contoso.com from reaching his calendar and e-mail by telephone. umpin offers neither over the telephone: it warns about both parameters and changes nothing.',
      source: 'microsoft',
      setup:
        "New-Mailbox -Name 'Tony Anderson' -Alias tony -UserPrincipalName tony@contoso.com -PrimarySmtpAddress tony@contoso.com\nEnable-UMMailbox -Identity tony@contoso.com -UMMailboxPolicy 'Contoso Default Policy' -Extensions 10260",
    },
    {
      code: 'Set-UMMailbox -Identity tonysmith -Extensions 10299',
      description: 'Gives Tony Smith the extension 10299 in place of his current one (a umpin addition).',
      source: 'umpin',
    },
    {
      code: "Set-UMMailbox -Identity kimakers -Extensions @{Add='10298'}",
      description: 'Gives Kim Akers a second extension, 10298, keeping her first (a umpin addition).',
      source: 'umpin',
    },
    {
      code: 'Set-UMMailbox -Identity kimakers -PinChangeAllowed $false',
      description:
        'Keeps the PIN of the shared mailbox kimakers as the administrators set it: its user can no longer change it on the phone or reset it on the self-service page (a umpin addition).',
      source: 'umpin',
    },
    {
      code: 'Set-UMMailbox -Identity tonysmith -UMMailboxPolicy Executives',
      description:
        'Moves Tony Smith to the Executives UM mailbox policy, whose PIN rules apply from his next PIN change.',
      source: 'umpin',
      setup: 'New-UMMailboxPolicy -Name Executives -UMDialPlan Contoso',
    },
  ],
  confirmImpact: 'medium',
  async process(ctx, params) {
    const identity = String(params.Identity ?? '');
    if (!(await ctx.shouldProcess(identity, 'Set-UMMailbox'))) return;
    const changes: SetUMMailboxInput = {};
    const policy = text(params, 'UMMailboxPolicy');
    if (policy !== undefined) changes.umMailboxPolicy = policy;
    // an edit (@{Add=...; Remove=...}) goes as it is: the service applies it to the extensions the mailbox has then
    if (params.Extensions !== undefined && params.Extensions !== null)
      changes.extensions = multiValuedEdit(params.Extensions as MultiValuedValue);
    if (params.SIPResourceIdentifier !== undefined)
      changes.sipResourceIdentifier = text(params, 'SIPResourceIdentifier') ?? null;
    const subscriber = flag(params, 'SubscriberAccessEnabled');
    if (subscriber !== undefined) changes.subscriberAccessEnabled = subscriber;
    const pinless = flag(params, 'PinlessAccessToVoiceMailEnabled');
    if (pinless !== undefined) changes.pinlessAccessToVoiceMailEnabled = pinless;
    if (params.OperatorNumber !== undefined) changes.operatorNumber = text(params, 'OperatorNumber') ?? null;
    const pinChange = flag(params, 'PinChangeAllowed');
    if (pinChange !== undefined) changes.pinChangeAllowed = pinChange;
    // the UM change comes first: it also checks that the mailbox is UM-enabled before its name changes
    await ctx.ops.setUMMailbox(identity, changes);
    const name = text(params, 'Name');
    if (name !== undefined) await ctx.ops.setRecipient(identity, { displayName: name });
  },
};

export const UM_MAILBOX_CMDLETS: readonly CmdletDefinition[] = [
  enableUMMailbox,
  disableUMMailbox,
  getUMMailbox,
  setUMMailbox,
];
