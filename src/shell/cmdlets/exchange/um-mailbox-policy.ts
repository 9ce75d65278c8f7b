/**
 * New-/Get-/Set-/Remove-UMMailboxPolicy: the PIN rules and mail texts of a policy. The
 * settings are generated from POLICY_LIMITS so the shell always offers exactly what the
 * service validates, under Exchange's names.
 */
import { POLICY_LIMITS, type MailboxPolicySettings, type MailboxPolicy } from '../../../domain/policy.js';
import type { PolicySettingsInput } from '../../../services/mailbox-policies.js';
import type { BoundParameters, CmdletContext, CmdletDefinition, ParameterSpec } from '../../cmdlet.js';
import { psObject, type PSObject } from '../../ps-object.js';
import { DOMAIN_CONTROLLER } from './directory-only-parameters.js';
import { identityParameter } from './identity-parameter.js';
import { noChange } from './no-change.js';

const TYPE_NAME = 'UMMailboxPolicy';

type SettingKey = keyof MailboxPolicySettings;

const HELP: Record<SettingKey, string> = {
  minPinLength:
    'The fewest digits a PIN may have: 4 to 24 (default 6). Users whose PIN is shorter must choose a new one at their next logon.',
  pinLifetimeDays:
    'Days until a PIN must be changed: 1 to 999, or Unlimited for never (default 60). 0 is taken as Unlimited, as in the admin center.',
  pinHistoryCount: 'How many previous PINs, the current one included, cannot be used again: 1 to 20 (default 5).',
  allowCommonPatterns:
    '$true also accepts one digit repeated (111111) and runs such as 123456 or 987654; a PIN containing the extension is refused either way (default $false).',
  pinComplexity:
    'Exchange (the default) refuses what Exchange refused. Strict also refuses keys in a straight line on the keypad (2580, 159), a repeated group (1212, 408408), fewer than 3 different digits, a digit more than twice in a row, the extension reversed, a date or a 19xx/20xx year, one of the most common PINs, and, on a change, the previous PIN plus or minus one. Strict applies whatever AllowCommonPatterns says.',
  logonFailuresBeforePinReset:
    'Wrong PINs in a row after which the PIN is reset and the new one e-mailed: 1 to 999, or Unlimited (or 0) for never (default 5). It must be below MaxLogonAttempts; the count goes on after a reset.',
  maxLogonAttempts:
    'Wrong PINs in a row after which the mailbox is locked until an administrator unlocks it or resets the PIN: 1 to 999, or Unlimited (default 15).',
  lockoutDurationMinutes:
    'Minutes after which a locked mailbox unlocks by itself: 1 to 525600, or Unlimited to stay locked until an administrator acts (the default, as in Exchange).',
  progressiveLockout:
    '$true doubles each further lock within a day of the one before, from LockoutDuration up to a day (or LockoutDuration, if longer); wrong PINs keyed while locked are not counted. Needs LockoutDuration in minutes (default $false: every lock lasts LockoutDuration).',
  resetPinText: 'Text added to the e-mail that carries a reset PIN, at most 512 characters; $null removes it.',
  umEnabledText:
    'Text added to the welcome e-mail sent when a mailbox is enabled for Unified Messaging, at most 512 characters; $null removes it.',
  allowPinlessVoiceMailAccess: 'Whether users may reach their voice mail without a PIN (default $false).',
  allowSubscriberAccess: 'Whether users may call in to their mailbox at all (default $true).',
  pinDelivery:
    'How the welcome and PIN reset mails give the PIN: Mail (the default, as Exchange) puts the PIN in the mail; Link puts instead a one-time link to a page that shows the PIN once, for PINLinkValidity hours, so the PIN is never in a mailbox in clear.',
  pinLinkValidityHours:
    'Hours a PIN link (PINDelivery Link) stays valid before it expires unused: 1 to 168 (default 24).',
  pinLinkRequiresSignIn:
    '$true: a PIN link shows the PIN only after its user signs in to the self-service page with a mailed code, so a forwarded mail alone is not enough (default $false).',
};

/** The settings Exchange's Set-UMMailboxPolicy lacks: Get-Help marks them as umpin additions. */
const UMPIN_SETTINGS: ReadonlySet<SettingKey> = new Set([
  'pinComplexity',
  'lockoutDurationMinutes',
  'progressiveLockout',
  'pinDelivery',
  'pinLinkValidityHours',
  'pinLinkRequiresSignIn',
]);

/** One parameter per policy setting, in Exchange's order. */
function settingParameters(allUmpinAdditions: boolean): ParameterSpec[] {
  return (Object.keys(POLICY_LIMITS) as SettingKey[]).map((key) => {
    const limit = POLICY_LIMITS[key];
    const type =
      limit.kind === 'flag'
        ? 'bool'
        : limit.kind === 'text' || limit.kind === 'choice'
          ? 'string'
          : limit.unlimited
            ? 'unlimited'
            : 'int';
    const addition = allUmpinAdditions || UMPIN_SETTINGS.has(key);
    return { name: limit.field, type, help: HELP[key], ...(addition ? { umpinAddition: true } : {}) };
  });
}

/** The settings given on the command line, in the service's terms ('Unlimited' is null). */
function settingsFrom(params: BoundParameters): PolicySettingsInput {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(POLICY_LIMITS) as SettingKey[]) {
    const v = params[POLICY_LIMITS[key].field];
    if (v !== undefined) out[key] = v === 'Unlimited' ? null : v;
  }
  return out as PolicySettingsInput;
}

const unlimited = (n: number | null): number | 'Unlimited' => (n === null ? 'Unlimited' : n);

/** The policy with Exchange's property names; Unlimited where umpin stores null. */
export function policyObject(p: MailboxPolicy, dialPlanName: string): PSObject {
  return psObject(TYPE_NAME, {
    Name: p.name,
    UMDialPlan: dialPlanName,
    MinPINLength: p.minPinLength,
    PINLifetime: unlimited(p.pinLifetimeDays),
    PINHistoryCount: p.pinHistoryCount,
    AllowCommonPatterns: p.allowCommonPatterns,
    PINComplexity: p.pinComplexity,
    LogonFailuresBeforePINReset: unlimited(p.logonFailuresBeforePinReset),
    MaxLogonAttempts: unlimited(p.maxLogonAttempts),
    LockoutDuration: unlimited(p.lockoutDurationMinutes),
    ProgressiveLockout: p.progressiveLockout,
    ResetPINText: p.resetPinText,
    UMEnabledText: p.umEnabledText,
    AllowPinlessVoiceMailAccess: p.allowPinlessVoiceMailAccess,
    AllowSubscriberAccess: p.allowSubscriberAccess,
    PINDelivery: p.pinDelivery,
    PINLinkValidity: p.pinLinkValidityHours,
    PINLinkRequiresSignIn: p.pinLinkRequiresSignIn,
    Identity: p.name,
    Guid: p.id,
    WhenCreated: new Date(p.createdAt),
    WhenChanged: new Date(p.updatedAt),
  });
}

/** Dial plan names by id, read once per command. */
async function dialPlanNames(ctx: CmdletContext): Promise<Map<string, string>> {
  return new Map((await ctx.ops.getDialPlans()).map((d) => [d.id, d.name]));
}

const OUTPUTS = [
  {
    typeName: TYPE_NAME,
    view: { kind: 'table', properties: ['Name', 'UMDialPlan', 'MinPINLength', 'PINLifetime', 'MaxLogonAttempts'] },
  },
] as const;

const MY_POLICY_SETUP = 'New-UMMailboxPolicy -Name MyUMMailboxPolicy -UMDialPlan Contoso';

const newUMMailboxPolicy: CmdletDefinition = {
  name: 'New-UMMailboxPolicy',
  synopsis: 'Creates a UM mailbox policy in a dial plan.',
  description:
    'Creates a UM mailbox policy that belongs to the given dial plan, with Exchange’s PIN defaults. ' +
    'Exchange sets the PIN rules afterwards with Set-UMMailboxPolicy; umpin also takes them here, in one step.',
  parameters: [
    {
      name: 'Name',
      type: 'string',
      position: 0,
      mandatory: true,
      help: 'The policy’s name: unique in any letter case, at most 64 characters.',
    },
    {
      name: 'UMDialPlan',
      type: 'identity',
      mandatory: true,
      help: 'The dial plan the policy belongs to, by name or GUID. Mailboxes with this policy take their extensions from it.',
    },
    ...settingParameters(true),
  ],
  ignoredParameters: [DOMAIN_CONTROLLER],
  examples: [
    {
      code: 'New-UMMailboxPolicy -Name MyUMMailboxPolicy -UMDialPlan MyUMDialPlan',
      description: 'Creates the policy MyUMMailboxPolicy in the dial plan MyUMDialPlan.',
      source: 'microsoft',
      setup: 'New-UMDialPlan -Name MyUMDialPlan -NumberOfDigitsInExtension 5',
    },
    {
      code: 'New-UMMailboxPolicy -Name Executives -UMDialPlan Contoso -MinPINLength 8 -PINLifetime Unlimited -LockoutDuration 30',
      description:
        'Creates a policy in the Contoso dial plan whose PINs have at least 8 digits and never expire, and whose locked mailboxes unlock by themselves after 30 minutes.',
      source: 'umpin',
    },
  ],
  confirmImpact: 'medium',
  outputs: OUTPUTS,
  async process(ctx, params) {
    const name = params.Name as string;
    if (!(await ctx.shouldProcess(name, 'New-UMMailboxPolicy'))) return;
    const policy = await ctx.ops.newMailboxPolicy({
      ...settingsFrom(params),
      name,
      umDialPlan: params.UMDialPlan as string,
    });
    ctx.emit(policyObject(policy, (await dialPlanNames(ctx)).get(policy.dialPlanId) ?? String(params.UMDialPlan)));
  },
};

const getUMMailboxPolicy: CmdletDefinition = {
  name: 'Get-UMMailboxPolicy',
  synopsis: 'Shows one UM mailbox policy, the policies of a dial plan, or all of them.',
  description:
    'Shows the policy named by -Identity, the policies of the dial plan named by -UMDialPlan, or every policy the caller may see. Format-List shows every PIN setting.',
  parameters: [
    identityParameter(
      false,
      'The policy to show, by name or GUID. Left out, every policy (of -UMDialPlan, if given) is shown.',
    ),
    { name: 'UMDialPlan', type: 'identity', help: 'Shows only the policies of this dial plan, by name or GUID.' },
  ],
  ignoredParameters: [DOMAIN_CONTROLLER],
  examples: [
    {
      code: 'Get-UMMailboxPolicy | Format-List',
      description: 'Lists every UM mailbox policy with all its settings.',
      source: 'microsoft',
    },
    {
      code: 'Get-UMMailboxPolicy -Identity MyUMMailboxPolicy',
      description: 'Shows the policy MyUMMailboxPolicy.',
      source: 'microsoft',
      setup: MY_POLICY_SETUP,
    },
    {
      code: 'Get-UMMailboxPolicy -UMDialPlan MyUMDialPlan',
      description: 'Lists the policies of the dial plan MyUMDialPlan.',
      source: 'microsoft',
      setup: 'New-UMDialPlan -Name MyUMDialPlan -NumberOfDigitsInExtension 5',
    },
  ],
  outputs: OUTPUTS,
  async process(ctx, params) {
    const id = params.Identity as string | undefined | null;
    const plan = params.UMDialPlan as string | undefined | null;
    // -Identity with -UMDialPlan: the service shows the policy only if it belongs to that dial plan
    const policies = await ctx.ops.getMailboxPolicies({ identity: id ?? undefined, umDialPlan: plan ?? undefined });
    const names = await dialPlanNames(ctx);
    for (const p of policies) {
      if (ctx.signal.aborted) return;
      ctx.emit(policyObject(p, names.get(p.dialPlanId) ?? p.dialPlanId));
    }
  },
};

const setUMMailboxPolicy: CmdletDefinition = {
  name: 'Set-UMMailboxPolicy',
  synopsis: 'Changes the PIN rules and mail texts of a UM mailbox policy.',
  description:
    'Changes a policy’s PIN rules (length, lifetime, history, common patterns, automatic reset and lockout), the texts added to PIN and welcome e-mails, and voice-mail access. ' +
    'Raising MinPINLength makes users with a shorter PIN choose a new one at their next logon. ' +
    'Exchange’s dialing, fax, voice-message and speech settings are accepted and ignored with a warning.',
  parameters: [
    identityParameter(true, 'The policy to change, by name or GUID.'),
    {
      name: 'Name',
      type: 'string',
      help: 'A new name for the policy, unique in any letter case, at most 64 characters.',
    },
    {
      name: 'UMDialPlan',
      type: 'identity',
      help: 'Moves the policy to another dial plan, by name or GUID; refused while UM mailboxes use the policy, since their extensions belong to the old one.',
    },
    ...settingParameters(false),
  ],
  ignoredParameters: [
    { name: 'AllowAutomaticSpeechRecognition', type: 'bool', reason: 'umpin takes keypad (DTMF) input only' },
    { name: 'AllowCallAnsweringRules', type: 'bool', reason: 'umpin has no call answering rules' },
    { name: 'AllowDialPlanSubscribers', type: 'bool', reason: 'umpin has no outbound dialing groups' },
    { name: 'AllowedInCountryOrRegionGroups', type: 'multivalued', reason: 'umpin has no outbound dialing groups' },
    { name: 'AllowedInternationalGroups', type: 'multivalued', reason: 'umpin has no outbound dialing groups' },
    { name: 'AllowExtensions', type: 'bool', reason: 'umpin has no outbound dialing groups' },
    { name: 'AllowFax', type: 'bool', reason: 'umpin has no fax' },
    { name: 'AllowMessageWaitingIndicator', type: 'bool', reason: 'umpin has no voice-message features' },
    { name: 'AllowMissedCallNotifications', type: 'bool', reason: 'umpin has no voice-message features' },
    { name: 'AllowPlayOnPhone', type: 'bool', reason: 'umpin has no voice-message features' },
    { name: 'AllowSMSNotification', type: 'bool', reason: 'umpin sends PIN e-mails only, no text messages' },
    { name: 'AllowTUIAccessToCalendar', type: 'bool', reason: 'umpin’s telephone access covers PINs only' },
    { name: 'AllowTUIAccessToDirectory', type: 'bool', reason: 'umpin’s telephone access covers PINs only' },
    { name: 'AllowTUIAccessToEmail', type: 'bool', reason: 'umpin’s telephone access covers PINs only' },
    { name: 'AllowTUIAccessToPersonalContacts', type: 'bool', reason: 'umpin’s telephone access covers PINs only' },
    { name: 'AllowVoiceMailAnalysis', type: 'bool', reason: 'umpin has no voice-message features' },
    { name: 'AllowVoiceMailPreview', type: 'bool', reason: 'umpin has no voice-message features' },
    { name: 'AllowVoiceResponseToOtherMessageTypes', type: 'bool', reason: 'umpin has no voice-message features' },
    DOMAIN_CONTROLLER,
    { name: 'FaxMessageText', type: 'string', reason: 'umpin has no fax' },
    { name: 'FaxServerURI', type: 'string', reason: 'umpin has no fax' },
    { name: 'ForceUpgrade', type: 'switch', reason: 'umpin has no object versions to upgrade' },
    { name: 'InformCallerOfVoiceMailAnalysis', type: 'bool', reason: 'umpin has no voice-message features' },
    { name: 'MaxGreetingDuration', type: 'int', reason: 'umpin has no greetings' },
    { name: 'ProtectAuthenticatedVoiceMail', type: 'string', reason: 'umpin has no voice-message features' },
    { name: 'ProtectedVoiceMailText', type: 'string', reason: 'umpin has no voice-message features' },
    { name: 'ProtectUnauthenticatedVoiceMail', type: 'string', reason: 'umpin has no voice-message features' },
    { name: 'RequireProtectedPlayOnPhone', type: 'bool', reason: 'umpin has no voice-message features' },
    {
      name: 'SourceForestPolicyNames',
      type: 'multivalued',
      reason: 'umpin serves one organisation; there are no other forests',
    },
    { name: 'VoiceMailPreviewPartnerAddress', type: 'string', reason: 'umpin has no voice-message features' },
    { name: 'VoiceMailPreviewPartnerAssignedID', type: 'string', reason: 'umpin has no voice-message features' },
    { name: 'VoiceMailPreviewPartnerMaxDeliveryDelay', type: 'int', reason: 'umpin has no voice-message features' },
    { name: 'VoiceMailPreviewPartnerMaxMessageDuration', type: 'int', reason: 'umpin has no voice-message features' },
    { name: 'VoiceMailText', type: 'string', reason: 'umpin has no voice-message features' },
  ],
  examples: [
    {
      code: 'Set-UMMailboxPolicy -Identity MyUMMailboxPolicy -LogonFailuresBeforePINReset 8 -MaxLogonAttempts 12 -MinPINLength 8 -PINHistoryCount 10 -PINLifetime 60 -ResetPINText "The PIN used to allow you access to your mailbox using Outlook Voice Access is reset."',
      description:
        'Sets the PIN rules of MyUMMailboxPolicy: a reset after 8 wrong PINs, lockout after 12, at least 8 digits, 10 PINs remembered, 60 days’ lifetime, and a text for the reset e-mail.',
      source: 'microsoft',
      setup: MY_POLICY_SETUP,
    },
    {
      code: 'Set-UMMailboxPolicy -Identity MyUMMailboxPolicy -AllowDialPlanSubscribers $true -AllowedInCountryOrRegionGroups InCountry/RegionGroup1,InCountry/RegionGroup2 -AllowedInternationalGroups InternationalGroup1,InternationalGroup2 -AllowExtensions $true',
      description:
        'Exchange chooses the dialing groups the policy’s users may call; umpin places no outgoing calls, so every parameter is ignored with a warning.',
      source: 'microsoft',
      setup: MY_POLICY_SETUP,
    },
    {
      code: 'Set-UMMailboxPolicy -Identity MyUMMailboxPolicy -UMEnabledText "You have been enabled for Unified Messaging." -VoiceMailText "You have received a voice mail message from Microsoft Exchange Unified Messaging."',
      description:
        'Sets the text of the welcome e-mail. The voice-mail message text is Exchange’s and is ignored with a warning.',
      source: 'microsoft',
      setup: MY_POLICY_SETUP,
    },
    {
      code: "Set-UMMailboxPolicy 'Contoso Default Policy' -PINComplexity Strict",
      description:
        'Refuses guessable PINs beyond Exchange’s rules for Contoso users: keypad lines, repeated groups, dates and years, the most common PINs and more. PINs already set stay until they are next changed.',
      source: 'umpin',
    },
    {
      code: "Set-UMMailboxPolicy 'Contoso Default Policy' -MaxLogonAttempts Unlimited -LogonFailuresBeforePINReset 5 -LockoutDuration 15",
      description:
        'Never locks a Contoso mailbox for good: the PIN is still reset after 5 wrong PINs in a row, and any lock lifts after 15 minutes.',
      source: 'umpin',
    },
    {
      code: "Set-UMMailboxPolicy 'Contoso Default Policy' -PINDelivery Link -PINLinkValidity 8",
      description:
        'Mails Contoso users a one-time link instead of their PIN, in the welcome and every PIN reset mail: the link shows the PIN once, within 8 hours.',
      source: 'umpin',
    },
  ],
  confirmImpact: 'medium',
  async process(ctx, params) {
    const id = params.Identity as string;
    const changes = {
      ...settingsFrom(params),
      name: params.Name as string | undefined,
      umDialPlan: params.UMDialPlan as string | undefined,
    };
    if (Object.values(changes).every((v) => v === undefined))
      return noChange(ctx, id, () => ctx.ops.getMailboxPolicies({ identity: id }));
    if (!(await ctx.shouldProcess(id, 'Set-UMMailboxPolicy'))) return;
    await ctx.ops.setMailboxPolicy(id, changes);
  },
};

const removeUMMailboxPolicy: CmdletDefinition = {
  name: 'Remove-UMMailboxPolicy',
  synopsis: 'Deletes a UM mailbox policy that no UM mailbox uses.',
  description:
    'Deletes a policy. It is refused while UM mailboxes are assigned to it: move them to another policy with Set-UMMailbox -UMMailboxPolicy first. Asks for confirmation unless -Confirm:$false is given.',
  parameters: [identityParameter(true, 'The policy to delete, by name or GUID.')],
  ignoredParameters: [DOMAIN_CONTROLLER],
  examples: [
    {
      code: 'Remove-UMMailboxPolicy -Identity MyUMMailboxPolicy',
      description: 'Deletes the policy MyUMMailboxPolicy.',
      source: 'microsoft',
      setup: MY_POLICY_SETUP,
    },
  ],
  confirmImpact: 'high',
  async process(ctx, params) {
    const id = params.Identity as string;
    if (!(await ctx.shouldProcess(id, 'Remove-UMMailboxPolicy'))) return;
    await ctx.ops.removeMailboxPolicy(id);
  },
};

export const UM_MAILBOX_POLICY_CMDLETS: readonly CmdletDefinition[] = [
  newUMMailboxPolicy,
  getUMMailboxPolicy,
  setUMMailboxPolicy,
  removeUMMailboxPolicy,
];
