/**
 * New-/Get-/Set-/Remove-UMDialPlan: the dial plan's extension length, country code,
 * logon limit, default language and voice-access numbers. Exchange's many telephony
 * settings (dialing rules, greetings, fax, speech) have no counterpart in umpin and are
 * accepted and ignored.
 */
import { applyMultiValuedEdit } from '../../../domain/multi-valued.js';
import type { DialPlan } from '../../../domain/dial-plan.js';
import type {
  BoundParameters,
  CmdletContext,
  CmdletDefinition,
  MultiValuedValue,
  ParameterSpec,
} from '../../cmdlet.js';
import { psObject, type PSObject } from '../../ps-object.js';
import { DOMAIN_CONTROLLER } from './directory-only-parameters.js';
import { identityParameter } from './identity-parameter.js';
import { multiValuedEdit } from './multi-valued-edit.js';
import { noChange } from './no-change.js';

const TYPE_NAME = 'UMDialPlan';

const SETTINGS = {
  CountryOrRegionCode: {
    name: 'CountryOrRegionCode',
    type: 'string',
    help: 'The country or region calling code of the dial plan: 1 to 4 digits, such as 1 for North America or 44 for the United Kingdom.',
  },
  LogonFailuresBeforeDisconnect: {
    name: 'LogonFailuresBeforeDisconnect',
    type: 'int',
    help: 'Wrong PINs one call may enter before umpin hangs up: 1 to 20 (default 3). The failures still count towards the policy’s reset and lockout limits.',
  },
  DefaultLanguage: {
    name: 'DefaultLanguage',
    type: 'string',
    help: 'The language of the telephone prompts for callers not yet identified, such as en-US or zh-TW. New dial plans take the organisation’s default.',
  },
  AccessTelephoneNumbers: {
    name: 'AccessTelephoneNumbers',
    type: 'multivalued',
    help: 'The voice-access numbers users call to reach umpin (Exchange’s subscriber access numbers): an optional + then 3 to 20 digits. A list replaces them; @{Add=...; Remove=...} edits them. They appear in the welcome e-mail.',
  },
  VoiceMailUri: {
    name: 'VoiceMailUri',
    type: 'string',
    umpinAddition: true,
    help: 'The PBX’s voice mail that a caller signed in by telephone is transferred to (REFER), as a sip: or sips: URI in which {extension} stands for the mailbox’s extension, e.g. sip:{extension}@pbx.contoso.com or sip:*97{extension}@10.0.0.5:5060. At most 256 characters; $null or an empty string removes it, and calls then end in the menu.',
  },
} as const satisfies Record<string, ParameterSpec>;

function digits(mandatory: boolean): ParameterSpec {
  if (mandatory)
    return {
      name: 'NumberOfDigitsInExtension',
      type: 'int',
      mandatory,
      help: 'How many digits every extension in the dial plan has: 1 to 20.',
    };
  // Exchange fixes it at creation; umpin lets it change while no extension depends on it
  return {
    name: 'NumberOfDigitsInExtension',
    type: 'int',
    umpinAddition: true,
    help: 'How many digits every extension in the dial plan has: 1 to 20. It cannot change while UM mailboxes have extensions in the dial plan.',
  };
}

/** The dial plan as Exchange's Get-UMDialPlan shows it. */
export async function dialPlanObject(ctx: CmdletContext, dp: DialPlan): Promise<PSObject> {
  const policies = await ctx.ops.getMailboxPolicies({ umDialPlan: dp.id });
  return psObject(TYPE_NAME, {
    Name: dp.name,
    NumberOfDigitsInExtension: dp.numberOfDigitsInExtension,
    CountryOrRegionCode: dp.countryOrRegionCode,
    AccessTelephoneNumbers: [...dp.voiceAccessNumbers],
    LogonFailuresBeforeDisconnect: dp.logonFailuresBeforeDisconnect,
    DefaultLanguage: dp.defaultLanguage,
    OperatorExtension: dp.operatorExtension ?? null,
    VoiceMailUri: dp.voiceMailUri ?? null,
    UMMailboxPolicies: policies.map((p) => p.name),
    Identity: dp.name,
    Guid: dp.id,
    WhenCreated: new Date(dp.createdAt),
    WhenChanged: new Date(dp.updatedAt),
  });
}

const OUTPUTS = [
  {
    typeName: TYPE_NAME,
    view: { kind: 'table', properties: ['Name', 'NumberOfDigitsInExtension', 'CountryOrRegionCode'] },
  },
] as const;

/** A value the binder gave, or undefined when the parameter was not used ($null stays null). */
function given<T>(params: BoundParameters, name: string): T | undefined {
  return params[name] as T | undefined;
}

const newUMDialPlan: CmdletDefinition = {
  name: 'New-UMDialPlan',
  synopsis: 'Creates a UM dial plan and, unless told otherwise, its default UM mailbox policy.',
  description:
    'Creates a UM dial plan: the extension length its users share, its country code, how many wrong PINs a call may enter, the default prompt language and the voice-access numbers. ' +
    'Unless -GenerateUMMailboxPolicy $false is given, a policy named "<dial plan> Default Policy" with Exchange’s PIN defaults is created with it. ' +
    'Without -CountryOrRegionCode or -DefaultLanguage the organisation’s defaults are used, so Microsoft’s examples run as written.',
  parameters: [
    {
      name: 'Name',
      type: 'string',
      position: 0,
      mandatory: true,
      help: 'The dial plan’s name: at most 49 characters, so that "<name> Default Policy" fits the 64-character limit of policy names.',
    },
    digits(true),
    {
      ...SETTINGS.CountryOrRegionCode,
      help: 'The country or region calling code of the dial plan: 1 to 4 digits, such as 1 or 44. Exchange requires it; umpin takes the organisation’s default when it is left out.',
    },
    SETTINGS.AccessTelephoneNumbers,
    SETTINGS.DefaultLanguage,
    { ...SETTINGS.LogonFailuresBeforeDisconnect, umpinAddition: true },
    SETTINGS.VoiceMailUri,
    {
      name: 'GenerateUMMailboxPolicy',
      type: 'bool',
      help: 'Whether to create the "<name> Default Policy" UM mailbox policy with the dial plan (default $true).',
    },
  ],
  ignoredParameters: [
    DOMAIN_CONTROLLER,
    { name: 'FaxEnabled', type: 'bool', reason: 'umpin has no fax' },
    { name: 'URIType', type: 'string', reason: 'SIP addressing is set on umpin’s SIP endpoint, not on the dial plan' },
    {
      name: 'VoIPSecurity',
      type: 'string',
      reason: 'SIP transport security is set on umpin’s SIP endpoint, not on the dial plan',
    },
  ],
  examples: [
    {
      code: 'New-UMDialPlan -Name MyUMDialPlan -NumberOfDigitsInExtension 4',
      description: 'Creates the dial plan MyUMDialPlan, whose extensions have four digits, and its default policy.',
      source: 'microsoft',
    },
    {
      code: 'New-UMDialPlan -Name MyUMDialPlan -URIType SipName -NumberOfDigitsInExtension 5',
      description:
        'Creates MyUMDialPlan with five-digit extensions. The SIP URI type is Exchange’s and is ignored with a warning.',
      source: 'microsoft',
    },
    {
      code: 'New-UMDialPlan -Name MyUMDialPlan -URIType E164 -NumberOfDigitsInExtension 5 -VoIPSecurity Unsecured',
      description:
        'Creates MyUMDialPlan with five-digit extensions; the URI type and VoIP security settings are ignored with warnings.',
      source: 'microsoft',
    },
    {
      code: "New-UMDialPlan -Name Fabrikam -NumberOfDigitsInExtension 4 -CountryOrRegionCode 44 -DefaultLanguage en-GB -AccessTelephoneNumbers '+442079460000'",
      description:
        'Creates a dial plan for a UK office with four-digit extensions, British English prompts and one voice-access number.',
      source: 'umpin',
    },
  ],
  confirmImpact: 'medium',
  outputs: OUTPUTS,
  async process(ctx, params) {
    const name = params.Name as string;
    if (!(await ctx.shouldProcess(name, 'New-UMDialPlan'))) return;
    const numbers = given<MultiValuedValue>(params, 'AccessTelephoneNumbers');
    const { dialPlan } = await ctx.ops.newDialPlan({
      name,
      numberOfDigitsInExtension: params.NumberOfDigitsInExtension as number,
      countryOrRegionCode: given<string>(params, 'CountryOrRegionCode') ?? undefined,
      logonFailuresBeforeDisconnect: given<number>(params, 'LogonFailuresBeforeDisconnect'),
      defaultLanguage: given<string>(params, 'DefaultLanguage') ?? undefined,
      voiceAccessNumbers: numbers ? applyMultiValuedEdit([], multiValuedEdit(numbers)) : undefined,
      voiceMailUri: given<string>(params, 'VoiceMailUri'),
      generateUMMailboxPolicy: given<boolean>(params, 'GenerateUMMailboxPolicy'),
    });
    ctx.emit(await dialPlanObject(ctx, dialPlan));
  },
};

const getUMDialPlan: CmdletDefinition = {
  name: 'Get-UMDialPlan',
  synopsis: 'Shows one UM dial plan, or all of them.',
  description:
    'Shows the dial plan named by -Identity (its name or GUID), or every dial plan the caller may see when -Identity is left out.',
  parameters: [identityParameter(false, 'The dial plan to show, by name or GUID. Left out, every dial plan is shown.')],
  ignoredParameters: [DOMAIN_CONTROLLER],
  examples: [
    { code: 'Get-UMDialPlan', description: 'Lists every UM dial plan.', source: 'microsoft' },
    {
      code: 'Get-UMDialPlan -Identity MyUMDialPlan | Format-List',
      description: 'Shows every property of the dial plan MyUMDialPlan as a list.',
      source: 'microsoft',
      setup: 'New-UMDialPlan -Name MyUMDialPlan -NumberOfDigitsInExtension 5',
    },
  ],
  outputs: OUTPUTS,
  async process(ctx, params) {
    for (const dp of await ctx.ops.getDialPlans(given<string>(params, 'Identity') ?? undefined)) {
      if (ctx.signal.aborted) return;
      ctx.emit(await dialPlanObject(ctx, dp));
    }
  },
};

const setUMDialPlan: CmdletDefinition = {
  name: 'Set-UMDialPlan',
  synopsis: 'Changes the settings of a UM dial plan.',
  description:
    'Changes a dial plan’s name, extension length, country code, logon limit, default language or voice-access numbers. ' +
    'Exchange’s dialing rules, greetings, fax, speech and transfer settings are accepted and ignored with a warning, because umpin handles PINs only.',
  parameters: [
    identityParameter(true, 'The dial plan to change, by name or GUID.'),
    {
      name: 'Name',
      type: 'string',
      help: 'A new name for the dial plan, unique in any letter case, at most 49 characters.',
    },
    digits(false),
    SETTINGS.CountryOrRegionCode,
    SETTINGS.LogonFailuresBeforeDisconnect,
    SETTINGS.DefaultLanguage,
    SETTINGS.AccessTelephoneNumbers,
    {
      name: 'OperatorExtension',
      type: 'string',
      help: 'Where a caller who presses 0 is transferred when their mailbox has no OperatorNumber: 1 to 20 digits. $null removes it.',
    },
    SETTINGS.VoiceMailUri,
  ],
  ignoredParameters: [
    { name: 'AllowDialPlanSubscribers', type: 'bool', reason: 'umpin has no outbound dialing groups' },
    { name: 'AllowedInCountryOrRegionGroups', type: 'multivalued', reason: 'umpin has no outbound dialing groups' },
    { name: 'AllowedInternationalGroups', type: 'multivalued', reason: 'umpin has no outbound dialing groups' },
    { name: 'AllowExtensions', type: 'bool', reason: 'umpin has no outbound dialing groups' },
    {
      name: 'AllowHeuristicADCallingLineIdResolution',
      type: 'bool',
      reason: 'umpin recognises callers by extension only',
    },
    { name: 'AudioCodec', type: 'string', reason: 'umpin has no voice-message features' },
    { name: 'AutomaticSpeechRecognitionEnabled', type: 'bool', reason: 'umpin takes keypad (DTMF) input only' },
    { name: 'CallAnsweringRulesEnabled', type: 'bool', reason: 'umpin has no call answering rules' },
    { name: 'CallSomeoneEnabled', type: 'bool', reason: 'umpin has no directory search or call transfer' },
    // Exchange's own example passes the rows of Import-Csv here: taken as they come
    { name: 'ConfiguredInCountryOrRegionGroups', type: 'object', reason: 'umpin has no outbound dialing groups' },
    { name: 'ConfiguredInternationalGroups', type: 'object', reason: 'umpin has no outbound dialing groups' },
    { name: 'ContactAddressList', type: 'string', reason: 'umpin has no directory search or call transfer' },
    { name: 'ContactRecipientContainer', type: 'string', reason: 'umpin has no directory search or call transfer' },
    { name: 'ContactScope', type: 'string', reason: 'umpin has no directory search or call transfer' },
    { name: 'DialByNamePrimary', type: 'string', reason: 'umpin has no directory search or call transfer' },
    { name: 'DialByNameSecondary', type: 'string', reason: 'umpin has no directory search or call transfer' },
    DOMAIN_CONTROLLER,
    { name: 'EquivalentDialPlanPhoneContexts', type: 'multivalued', reason: 'umpin has no equivalent dial plans' },
    { name: 'Extension', type: 'string', reason: 'umpin has no directory search or call transfer' },
    { name: 'FaxEnabled', type: 'bool', reason: 'umpin has no fax' },
    { name: 'ForceUpgrade', type: 'switch', reason: 'umpin has no object versions to upgrade' },
    { name: 'InCountryOrRegionNumberFormat', type: 'string', reason: 'umpin places no outgoing calls' },
    { name: 'InfoAnnouncementEnabled', type: 'string', reason: 'umpin has no greetings' },
    { name: 'InfoAnnouncementFilename', type: 'string', reason: 'umpin has no greetings' },
    {
      name: 'InputFailuresBeforeDisconnect',
      type: 'int',
      reason: 'umpin counts wrong PINs only (LogonFailuresBeforeDisconnect)',
    },
    { name: 'InternationalAccessCode', type: 'string', reason: 'umpin places no outgoing calls' },
    { name: 'InternationalNumberFormat', type: 'string', reason: 'umpin places no outgoing calls' },
    { name: 'LegacyPromptPublishingPoint', type: 'string', reason: 'umpin has no custom prompts' },
    { name: 'MatchedNameSelectionMethod', type: 'string', reason: 'umpin has no directory search or call transfer' },
    {
      name: 'MaxCallDuration',
      type: 'int',
      reason: 'umpin’s calls end after the PIN steps; there is no call length setting',
    },
    { name: 'MaxRecordingDuration', type: 'int', reason: 'umpin has no voice-message features' },
    { name: 'NationalNumberPrefix', type: 'string', reason: 'umpin places no outgoing calls' },
    { name: 'NumberingPlanFormats', type: 'multivalued', reason: 'umpin places no outgoing calls' },
    { name: 'OutsideLineAccessCode', type: 'string', reason: 'umpin places no outgoing calls' },
    { name: 'PilotIdentifierList', type: 'multivalued', reason: 'umpin answers the AccessTelephoneNumbers only' },
    { name: 'RecordingIdleTimeout', type: 'int', reason: 'umpin has no voice-message features' },
    { name: 'SendVoiceMsgEnabled', type: 'bool', reason: 'umpin has no voice-message features' },
    { name: 'TUIPromptEditingEnabled', type: 'bool', reason: 'umpin has no custom prompts' },
    { name: 'UMAutoAttendant', type: 'string', reason: 'umpin has no auto attendants' },
    {
      name: 'VoIPSecurity',
      type: 'string',
      reason: 'SIP transport security is set on umpin’s SIP endpoint, not on the dial plan',
    },
    { name: 'WelcomeGreetingEnabled', type: 'bool', reason: 'umpin has no greetings' },
    { name: 'WelcomeGreetingFilename', type: 'string', reason: 'umpin has no greetings' },
  ],
  examples: [
    {
      code: 'Set-UMDialPlan -Identity MyDialPlan -OutsideLineAccessCode 9',
      description:
        'Exchange sets the outside-line access code; umpin places no outgoing calls, so it warns and changes nothing.',
      source: 'microsoft',
      setup: 'New-UMDialPlan -Name MyDialPlan -NumberOfDigitsInExtension 5',
    },
    {
      code: 'Set-UMDialPlan -Identity MyDialPlan -WelcomeGreetingEnabled $true -WelcomeGreetingFilename welcome.wav',
      description:
        'Exchange turns on a welcome greeting; umpin has no greetings, so both parameters are ignored with warnings.',
      source: 'microsoft',
      setup: 'New-UMDialPlan -Name MyDialPlan -NumberOfDigitsInExtension 5',
    },
    {
      code: '$csv=import-csv "C:\\MyInCountryGroups.csv"\nSet-UMDialPlan -Identity MyDialPlan -ConfiguredInCountryOrRegionGroups $csv\nSet-UMDialPlan -Identity MyDialPlan -AllowedInCountryOrRegionGroups "local, long distance"',
      description:
        'Exchange configures dialing rule groups from a CSV file; umpin has no outbound dialing, so the groups are read and ignored with warnings.',
      source: 'microsoft',
      setup:
        'New-UMDialPlan -Name MyDialPlan -NumberOfDigitsInExtension 5\nGet-UMDialPlan -Identity MyDialPlan | Select-Object Name | Export-Csv "C:\\MyInCountryGroups.csv"',
    },
    {
      code: "Set-UMDialPlan -Identity Contoso -AccessTelephoneNumbers @{Add='+14255550199'} -LogonFailuresBeforeDisconnect 5",
      description:
        'Adds a second voice-access number to the Contoso dial plan and lets a caller try five wrong PINs before umpin hangs up.',
      source: 'umpin',
    },
    {
      code: "Set-UMDialPlan -Identity Contoso -VoiceMailUri 'sip:{extension}@pbx.contoso.com'",
      description:
        'After a caller signs in by telephone, transfers them to the PBX’s voice mail of their own extension (for extension 10231: sip:10231@pbx.contoso.com).',
      source: 'umpin',
    },
  ],
  confirmImpact: 'medium',
  async process(ctx, params) {
    const id = params.Identity as string;
    const numbers = given<MultiValuedValue>(params, 'AccessTelephoneNumbers');
    const changes = {
      name: given<string>(params, 'Name'),
      numberOfDigitsInExtension: given<number>(params, 'NumberOfDigitsInExtension'),
      countryOrRegionCode: given<string>(params, 'CountryOrRegionCode'),
      logonFailuresBeforeDisconnect: given<number>(params, 'LogonFailuresBeforeDisconnect'),
      defaultLanguage: given<string>(params, 'DefaultLanguage'),
      // an edit (@{Add=...; Remove=...}) goes as it is: the service applies it to the numbers the dial plan has then
      voiceAccessNumbers: numbers ? multiValuedEdit(numbers) : undefined,
      // $null removes it, so it is read here rather than with given()
      operatorExtension:
        params.OperatorExtension === undefined
          ? undefined
          : params.OperatorExtension === null || params.OperatorExtension === ''
            ? null
            : String(params.OperatorExtension),
      // $null or '' removes it (the service treats both as none)
      voiceMailUri:
        params.VoiceMailUri === undefined
          ? undefined
          : params.VoiceMailUri === null
            ? null
            : String(params.VoiceMailUri),
    };
    if (Object.values(changes).every((v) => v === undefined)) return noChange(ctx, id, () => ctx.ops.getDialPlans(id));
    if (!(await ctx.shouldProcess(id, 'Set-UMDialPlan'))) return;
    await ctx.ops.setDialPlan(id, changes);
  },
};

const removeUMDialPlan: CmdletDefinition = {
  name: 'Remove-UMDialPlan',
  synopsis: 'Deletes a UM dial plan that no UM mailbox policy uses.',
  description:
    'Deletes a dial plan. It is refused while any UM mailbox policy belongs to the dial plan: remove those policies first. Asks for confirmation unless -Confirm:$false is given.',
  parameters: [identityParameter(true, 'The dial plan to delete, by name or GUID.')],
  ignoredParameters: [DOMAIN_CONTROLLER],
  examples: [
    {
      code: 'Remove-UMDialPlan -Identity MyUMDialPlan',
      description: 'Deletes the dial plan MyUMDialPlan.',
      source: 'microsoft',
      setup: 'New-UMDialPlan -Name MyUMDialPlan -NumberOfDigitsInExtension 5 -GenerateUMMailboxPolicy $false',
    },
  ],
  confirmImpact: 'high',
  async process(ctx, params) {
    const id = params.Identity as string;
    if (!(await ctx.shouldProcess(id, 'Remove-UMDialPlan'))) return;
    await ctx.ops.removeDialPlan(id);
  },
};

export const UM_DIAL_PLAN_CMDLETS: readonly CmdletDefinition[] = [
  newUMDialPlan,
  getUMDialPlan,
  setUMDialPlan,
  removeUMDialPlan,
];
