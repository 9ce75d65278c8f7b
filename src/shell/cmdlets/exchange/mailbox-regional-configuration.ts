/**
 * Get-/Set-MailboxRegionalConfiguration: of a mailbox's regional settings umpin keeps the
 * language, in which PIN e-mails are written and telephone prompts are spoken.
 */
import type { CmdletDefinition } from '../../cmdlet.js';
import { psObject } from '../../ps-object.js';
import { identityParameter } from './identity-parameter.js';
import {
  GET_REGIONAL_CONFIGURATION_IGNORED,
  SET_REGIONAL_CONFIGURATION_IGNORED,
} from './mailbox-ignored-parameters.js';
import { noChange } from './no-change.js';

const TYPE_NAME = 'MailboxRegionalConfiguration';

const IDENTITY_HELP = 'The mailbox: its e-mail address, alias, display name, user principal name or GUID.';

const MARCELO = "New-Mailbox -Name 'Marcelo Teixeira' -Alias marcelo";

const getRegionalConfiguration: CmdletDefinition = {
  name: 'Get-MailboxRegionalConfiguration',
  synopsis: 'Shows the language of a mailbox.',
  description:
    'Shows the mailbox’s language, used for its PIN e-mails and telephone prompts. Empty means the organisation’s default. umpin keeps no date, time or time-zone settings.',
  parameters: [identityParameter(true, IDENTITY_HELP)],
  ignoredParameters: GET_REGIONAL_CONFIGURATION_IGNORED,
  examples: [
    {
      code: 'Get-MailboxRegionalConfiguration -Identity "Marcelo Teixeira"',
      description: 'Shows the language of Marcelo Teixeira’s mailbox.',
      source: 'microsoft',
      setup: MARCELO,
    },
    {
      code: 'Get-MailboxRegionalConfiguration -Identity "Ella Lack" -DomainController dc01.contoso.com',
      description: 'Shows the language of Ella Lack’s mailbox; the domain controller is ignored with a warning.',
      source: 'microsoft',
      setup: "New-Mailbox -Name 'Ella Lack' -Alias ella",
    },
    {
      code: 'Get-MailboxRegionalConfiguration -Identity "Alice Jakobsen" -VerifyDefaultFolderNameLanguage | Format-List',
      description:
        'Shows the language of Alice Jakobsen’s mailbox as a list; umpin has no folders to check, so the switch is ignored with a warning.',
      source: 'microsoft',
      setup: "New-Mailbox -Name 'Alice Jakobsen' -Alias alice",
    },
    {
      code: 'Get-MailboxRegionalConfiguration weichen',
      description: 'Shows that Wei Chen’s mails and prompts are in Traditional Chinese (zh-TW).',
      source: 'umpin',
    },
  ],
  outputs: [{ typeName: TYPE_NAME, view: { kind: 'table', properties: ['Identity', 'Language'] } }],
  async process(ctx, params) {
    const r = await ctx.ops.getRecipient(params.Identity as string);
    ctx.emit(psObject(TYPE_NAME, { Identity: r.primarySmtpAddress, Language: r.language }));
  },
};

const setRegionalConfiguration: CmdletDefinition = {
  name: 'Set-MailboxRegionalConfiguration',
  synopsis: 'Sets the language of a mailbox.',
  description:
    'Sets the language in which the mailbox’s PIN e-mails are written and its telephone prompts spoken. $null returns it to the organisation’s default. Date, time and time-zone settings are Exchange’s and are ignored with a warning.',
  parameters: [
    identityParameter(true, IDENTITY_HELP),
    {
      name: 'Language',
      type: 'string',
      help: 'A language tag such as en-US, zh-TW or pt-BR; $null for the organisation’s default.',
    },
  ],
  ignoredParameters: SET_REGIONAL_CONFIGURATION_IGNORED,
  examples: [
    {
      code: 'Set-MailboxRegionalConfiguration -Identity "Marcelo Teixeira" -Language pt-br -LocalizeDefaultFolderName',
      description:
        'Sets Marcelo Teixeira’s language to Brazilian Portuguese; umpin has no folders to rename, so that switch is ignored with a warning.',
      source: 'microsoft',
      setup: MARCELO,
    },
    {
      code: 'Set-MailboxRegionalConfiguration -Identity "Ella Lack\'s" -DateFormat "d/M/yyyy"',
      description:
        'Exchange sets the date format of Ella Lack’s mailbox; umpin keeps only the language, so it warns and changes nothing.',
      source: 'microsoft',
      setup: 'New-Mailbox -Name "Ella Lack\'s" -Alias ellalack',
    },
    {
      code: 'Set-MailboxRegionalConfiguration -Identity "Alice Jakobsen" -Language da-dk -DateFormat "dd-MM-yyyy" -LocalizeDefaultFolderName',
      description:
        'Sets Alice Jakobsen’s language to Danish; the date format and folder names are ignored with warnings.',
      source: 'microsoft',
      setup: "New-Mailbox -Name 'Alice Jakobsen' -Alias alice",
    },
    {
      code: 'Get-Mailbox -RecipientTypeDetails UserMailbox -ResultSize Unlimited | Set-MailboxRegionalConfiguration -Language es-es -DateFormat "dd/MM/yyyy" -TimeFormat H:mm -LocalizeDefaultFolderName',
      description:
        'Sets the language of every user mailbox to Spanish (Spain); the date and time formats and folder names are ignored with warnings.',
      source: 'microsoft',
    },
    {
      code: 'Set-MailboxRegionalConfiguration -Identity "Megan Bowen" -Language es-ar -DateFormat $null -TimeFormat $null -LocalizeDefaultFolderName',
      description: 'Sets Megan Bowen’s language to Spanish (Argentina); the other settings are ignored with warnings.',
      source: 'microsoft',
      setup: "New-Mailbox -Name 'Megan Bowen' -Alias megan",
    },
    {
      code: 'Set-MailboxRegionalConfiguration -Identity weichen -Language zh-TW',
      description: 'Has Wei Chen’s PIN e-mails and telephone prompts in Traditional Chinese.',
      source: 'umpin',
    },
  ],
  confirmImpact: 'medium',
  async process(ctx, params) {
    const id = params.Identity as string;
    if (params.Language === undefined) return noChange(ctx, id, () => ctx.ops.getRecipient(id));
    if (!(await ctx.shouldProcess(id, 'Set-MailboxRegionalConfiguration'))) return;
    await ctx.ops.setRecipient(id, { language: (params.Language as string | null) ?? null });
  },
};

export const REGIONAL_CONFIGURATION_CMDLETS: readonly CmdletDefinition[] = [
  getRegionalConfiguration,
  setRegionalConfiguration,
];
