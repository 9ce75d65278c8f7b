/**
 * New-/Get-/Set-/Remove-Mailbox in the subset umpin keeps of a recipient: one name (the
 * display name), the alias, the primary SMTP address, the UPN, the language, and, through
 * EUM addresses in -EmailAddresses, the UM extensions. The rest of Exchange's hundreds of
 * mailbox parameters are accepted and ignored with a warning.
 */
import { UmpinError } from '../../../domain/errors.js';
import { parseEmailAddresses } from '../../../domain/proxy-addresses.js';
import type { Page } from '../../../domain/page.js';
import { filterableProperties, MAILBOX_CATALOG, sortableProperties } from '../../../services/recipient-properties.js';
import type { RecipientChanges, RecipientListItem } from '../../../services/recipients.js';
import type { CmdletContext, CmdletDefinition, MultiValuedValue, ParameterSpec } from '../../cmdlet.js';
import { CONVERT_TO_SECURE_STRING } from './convert-to-secure-string.js';
import { filterText } from './filter-parameter.js';
import { identityParameter } from './identity-parameter.js';
import {
  GET_MAILBOX_IGNORED,
  NEW_MAILBOX_IGNORED,
  REMOVE_MAILBOX_IGNORED,
  SET_MAILBOX_IGNORED,
} from './mailbox-ignored-parameters.js';
import { MAILBOX_TYPE_NAME, mailboxObject, umMailboxOf } from './mailbox-object.js';
import { REGIONAL_CONFIGURATION_CMDLETS } from './mailbox-regional-configuration.js';
import { multiValuedEdit } from './multi-valued-edit.js';
import { noChange } from './no-change.js';
import { DEFAULT_RESULT_SIZE } from './result-size.js';

const OUTPUTS = [
  {
    typeName: MAILBOX_TYPE_NAME,
    view: { kind: 'table', properties: ['Name', 'Alias', 'PrimarySmtpAddress', 'UMEnabled'] },
  },
] as const;

const IDENTITY_HELP =
  'The mailbox: its e-mail address, alias, display name, user principal name, GUID or DOMAIN\\alias.';

const NAME_IS_DISPLAY_NAME =
  'umpin keeps one name per mailbox, its display name: Name and DisplayName set the same thing.';

// ---------------------------------------------------------------- New-Mailbox

/** Exchange's rule for an alias made from a name: spaces dropped, characters an alias cannot hold turned into '?'. */
function aliasFromName(name: string): string {
  return name
    .replace(/\s+/g, '')
    .replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, '?')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 64);
}

const domainOf = (address: string): string | undefined =>
  address.includes('@') ? address.slice(address.lastIndexOf('@') + 1) : undefined;

/** The domain new addresses get: the UPN's, else that of the organisation's existing addresses. */
async function defaultDomain(ctx: CmdletContext, upn: string | undefined): Promise<string | undefined> {
  if (upn && domainOf(upn)) return domainOf(upn);
  const [first] = (await ctx.ops.listRecipients({ limit: 1 })).items;
  return first ? domainOf(first.primarySmtpAddress) : undefined;
}

const newMailbox: CmdletDefinition = {
  name: 'New-Mailbox',
  synopsis: 'Creates a recipient (a user mailbox) that can then be enabled for Unified Messaging.',
  description:
    'Creates a recipient with a display name, alias, primary SMTP address and user principal name. ' +
    'As in Exchange, a missing alias comes from the left of the UPN, or else from the name; a missing address is alias@domain, the domain being the UPN’s or, failing that, the one the organisation’s addresses use. ' +
    'Account, database, policy and resource settings are Exchange’s and are ignored with a warning. Enable-UMMailbox then gives it an extension and a PIN.',
  parameters: [
    {
      name: 'Name',
      type: 'string',
      position: 0,
      mandatory: true,
      pipeline: { byPropertyName: true },
      help: `The mailbox’s name. ${NAME_IS_DISPLAY_NAME} Without -DisplayName the name is the display name.`,
    },
    {
      name: 'DisplayName',
      type: 'string',
      help: `The name shown in lists and e-mails, at most 256 characters. ${NAME_IS_DISPLAY_NAME}`,
    },
    {
      name: 'Alias',
      type: 'string',
      help: 'The mail nickname: unique, 1 to 64 letters, digits and symbols such as . - _ without spaces.',
    },
    {
      name: 'PrimarySmtpAddress',
      type: 'string',
      help: 'The e-mail address PIN mails are sent to, unique in the organisation. Left out, it is alias@domain.',
    },
    {
      name: 'UserPrincipalName',
      type: 'string',
      help: 'The logon name in e-mail form, such as chris@contoso.com; unique. Left out, the primary SMTP address is used.',
    },
  ],
  ignoredParameters: NEW_MAILBOX_IGNORED,
  examples: [
    {
      code: 'New-Mailbox -UserPrincipalName confmbx@contoso.com -Alias confmbx -Name ConfRoomMailbox -Database "Mailbox Database 1" -OrganizationalUnit Users -Room -ResetPasswordOnNextLogon $true',
      description:
        'Exchange creates a conference room mailbox in a given database; umpin creates the recipient ConfRoomMailbox (confmbx@contoso.com) and warns that the database, OU, room and password settings are ignored.',
      source: 'microsoft',
    },
    {
      code: 'New-Mailbox -Shared -Name "Sales Department" -DisplayName "Sales Department" -Alias Sales\nSet-Mailbox -Identity Sales -GrantSendOnBehalfTo MarketingSG',
      description:
        'Exchange creates a shared mailbox and lets a group send on its behalf; umpin creates the recipient Sales Department (Sales@contoso.com) and ignores the shared and send-on-behalf settings with warnings. (Microsoft’s example goes on with Add-MailboxPermission, which umpin does not have.)',
      source: 'umpin',
    },
    {
      code: "New-Mailbox -Name 'Chris Ashton' -Alias chris -UserPrincipalName chris@contoso.com -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)",
      description:
        'Creates the recipient Chris Ashton with the address chris@contoso.com. The password is Exchange’s account password: umpin keeps none and warns.',
      source: 'umpin',
    },
    {
      code: "New-Mailbox -Name 'Ines Moreau' -PrimarySmtpAddress ines.moreau@contoso.com\nEnable-UMMailbox -Identity ines.moreau@contoso.com -UMMailboxPolicy 'Contoso Default Policy' -Extensions 10251",
      description:
        'Creates a recipient and enables it for Unified Messaging with extension 10251; the PIN is generated and e-mailed.',
      source: 'umpin',
    },
  ],
  confirmImpact: 'medium',
  outputs: OUTPUTS,
  async process(ctx, params) {
    const name = params.Name as string;
    const displayName = (params.DisplayName as string | undefined) ?? name;
    if (params.DisplayName !== undefined && params.DisplayName !== name)
      ctx.warn(`umpin keeps one name per mailbox: the display name "${displayName}"; the name "${name}" is not kept.`);
    const upn = (params.UserPrincipalName as string | undefined) ?? undefined;
    const alias =
      (params.Alias as string | undefined) ?? (upn ? upn.slice(0, upn.lastIndexOf('@')) : aliasFromName(name));
    let address = params.PrimarySmtpAddress as string | undefined;
    if (!address) {
      const domain = await defaultDomain(ctx, upn);
      if (!domain)
        throw new UmpinError({
          code: 'UMPIN_VALUE_REQUIRED',
          field: 'PrimarySmtpAddress',
          params: { field: 'PrimarySmtpAddress' },
        });
      address = `${alias}@${domain}`;
    }
    if (!(await ctx.shouldProcess(name, 'New-Mailbox'))) return;
    const r = await ctx.ops.newRecipient({ primarySmtpAddress: address, alias, displayName, userPrincipalName: upn });
    ctx.emit(mailboxObject(r, null));
  },
};

// ---------------------------------------------------------------- Get-Mailbox

/** Switches that ask for kinds of mailbox umpin does not have: with any of them, nothing is found. */
const OTHER_KINDS = [
  'Arbitration',
  'Archive',
  'AuditLog',
  'AuxAuditLog',
  'GroupMailbox',
  'InactiveMailboxOnly',
  'Migration',
  'Monitoring',
  'PublicFolder',
  'RemoteArchive',
  'SoftDeletedMailbox',
  'SupervisoryReviewPolicy',
] as const;

/** Mailboxes read per request: the API's largest page. */
const PAGE = 1000;

const getMailbox: CmdletDefinition = {
  name: 'Get-Mailbox',
  synopsis: 'Shows recipients: one, those matching a name or filter, or all of them.',
  description:
    'Shows the mailbox named by -Identity (wildcards * and ? allowed), those whose display name, alias or address starts with -Anr, or all of them, up to -ResultSize (1000 unless told otherwise). ' +
    'EmailAddresses lists the primary SMTP address and, for UM-enabled mailboxes, an EUM address per extension. ' +
    'umpin keeps user mailboxes only: switches asking for arbitration, archive, public folder and other kinds of mailbox find nothing.',
  parameters: [
    identityParameter(false, `${IDENTITY_HELP} Wildcards (*, ?) match several. Left out, every mailbox is shown.`),
    {
      name: 'Anr',
      type: 'string',
      help: 'Ambiguous name resolution: mailboxes whose display name, alias or e-mail address starts with this text.',
    },
    {
      name: 'Filter',
      type: 'string',
      help: `An OPATH filter on the mailbox’s properties, such as "UMEnabled -eq $true" or "EmailAddresses -like 'eum:102*'", with -and, -or, -not. Properties: ${filterableProperties(MAILBOX_CATALOG).join(', ')}.`,
    },
    { name: 'ResultSize', type: 'unlimited', help: 'The most mailboxes to show (default 1000), or Unlimited.' },
    {
      name: 'SortBy',
      type: 'string',
      help: `Sorts the mailboxes by ${sortableProperties(MAILBOX_CATALOG).join(', ')} (default: by display name); '-Alias' or 'Alias desc', quoted, sorts descending.`,
    },
    {
      name: 'RecipientTypeDetails',
      type: 'string[]',
      help: 'Kinds of mailbox to show. umpin’s recipients are all UserMailbox; any other kind finds nothing.',
    },
    ...OTHER_KINDS.map(
      (name): ParameterSpec => ({
        name,
        type: 'switch',
        help: `Asks for a kind of mailbox umpin does not keep: with -${name}, nothing is found.`,
      }),
    ),
  ],
  ignoredParameters: GET_MAILBOX_IGNORED,
  examples: [
    { code: 'Get-Mailbox -ResultSize unlimited', description: 'Lists every mailbox.', source: 'microsoft' },
    {
      code: 'Get-Mailbox -OrganizationalUnit Users',
      description:
        'Exchange lists the mailboxes of one organisational unit; umpin has none, warns, and lists every mailbox.',
      source: 'microsoft',
    },
    {
      code: 'Get-Mailbox -Anr Chr',
      description: 'Lists the mailboxes whose display name, alias or address starts with "Chr", such as Chris Ashton.',
      source: 'microsoft',
    },
    {
      code: 'Get-Mailbox -Archive -Database MBXDB01',
      description:
        'Exchange lists archive mailboxes in a database; umpin keeps no archives, so nothing is found (the database is ignored with a warning).',
      source: 'microsoft',
    },
    {
      code: 'Get-Mailbox -Identity ed@contoso.com -RemoteArchive',
      description: 'Exchange shows a user’s remote archive; umpin keeps no archives, so nothing is found.',
      source: 'microsoft',
    },
    {
      code: 'Get-Mailbox -Filter "EmailAddresses -like \'eum:1024*\'" | Format-Table Name,EmailAddresses',
      description: 'Lists the UM-enabled mailboxes whose extension starts with 1024, with their addresses.',
      source: 'umpin',
    },
  ],
  outputs: OUTPUTS,
  async process(ctx, params) {
    if (OTHER_KINDS.some((k) => params[k] === true)) return;
    const kinds = params.RecipientTypeDetails as string[] | undefined;
    if (kinds && !kinds.some((k) => k.toLowerCase() === 'usermailbox')) return;
    // the service filters (-Identity with wildcards too) and sorts in the store's query, and sends each page with its UM mailboxes
    const filter = filterText(params);
    const sortBy = params.SortBy as string | undefined;
    const size =
      params.ResultSize === 'Unlimited' ? Infinity : ((params.ResultSize as number | undefined) ?? DEFAULT_RESULT_SIZE);
    const id = params.Identity as string | undefined;

    if (id !== undefined && !/[*?]/.test(id) && filter === undefined) {
      const r = await ctx.ops.getRecipient(id);
      if (size > 0) ctx.emit(mailboxObject(r, await umMailboxOf(ctx, r.id)));
      return;
    }

    let emitted = 0;
    let more = false;
    let cursor: string | null = null;
    do {
      if (ctx.signal.aborted) return;
      const page: Page<RecipientListItem> = await ctx.ops.listRecipients({
        identity: id,
        search: (params.Anr as string | undefined) || undefined,
        filter,
        sortBy,
        cursor,
        limit: Math.min(PAGE, size - emitted + 1),
      });
      for (const r of page.items) {
        if (emitted >= size) {
          more = true;
          break;
        }
        ctx.emit(mailboxObject(r, r.umMailbox));
        emitted++;
      }
      cursor = page.next;
      if (cursor && emitted >= size) more = true;
    } while (cursor && !more);
    if (more)
      ctx.warn(
        `More than ${size} mailboxes match; only the first ${size} are shown. Use -ResultSize to show more, or -ResultSize Unlimited for all.`,
      );
  },
};

// ---------------------------------------------------------------- Set-Mailbox

const setMailbox: CmdletDefinition = {
  name: 'Set-Mailbox',
  synopsis: 'Changes a recipient’s names, addresses, language or UM extensions.',
  description:
    'Changes the display name, alias, primary SMTP address, user principal name or language of a mailbox. ' +
    '-EmailAddresses changes the UM extensions the way Exchange scripts do, through EUM addresses (eum:<extension>;phone-context=<dial plan>.<domain>): a list replaces them, @{Add=...; Remove=...} edits them. ' +
    'An SMTP: address (in capitals) becomes the primary address; umpin keeps no other addresses and warns about them. Everything else Exchange can set on a mailbox is ignored with a warning.',
  parameters: [
    identityParameter(true, IDENTITY_HELP),
    {
      name: 'DisplayName',
      type: 'string',
      help: `The name shown in lists and e-mails, at most 256 characters. ${NAME_IS_DISPLAY_NAME}`,
    },
    { name: 'Name', type: 'string', help: `Sets the display name. ${NAME_IS_DISPLAY_NAME}` },
    {
      name: 'Alias',
      type: 'string',
      help: 'The mail nickname: unique, 1 to 64 letters, digits and symbols such as . - _ without spaces.',
    },
    {
      name: 'PrimarySmtpAddress',
      type: 'string',
      help: 'The e-mail address PIN mails are sent to, unique in the organisation. Not with an SMTP: address in -EmailAddresses.',
    },
    { name: 'UserPrincipalName', type: 'string', help: 'The logon name in e-mail form; unique.' },
    {
      name: 'EmailAddresses',
      type: 'multivalued',
      help:
        'Proxy addresses. EUM addresses (eum:10231;phone-context=Contoso.contoso.com) are the UM extensions: a list replaces them, @{Add=...; Remove=...} edits them; the phone-context must name the mailbox’s dial plan. ' +
        'SMTP:address (capitals) sets the primary address; other SMTP, X500 and custom addresses are not kept (warning).',
    },
    {
      name: 'Languages',
      type: 'multivalued',
      help: 'The mailbox’s language for PIN e-mails and telephone prompts, such as zh-TW. umpin keeps one: the first of the list. The same as Set-MailboxRegionalConfiguration -Language.',
    },
  ],
  ignoredParameters: SET_MAILBOX_IGNORED,
  examples: [
    {
      code: 'Set-Mailbox -Identity "John Woods" -DeliverToMailboxAndForward $true -ForwardingSMTPAddress manuel@contoso.com',
      description:
        'Exchange forwards John Woods’s mail; umpin does not handle mail flow, so both parameters are ignored with warnings.',
      source: 'microsoft',
      setup: "New-Mailbox -Name 'John Woods' -Alias john",
    },
    {
      code: 'Get-Mailbox -OrganizationalUnit "Marketing" | Set-Mailbox -UseDatabaseQuotaDefaults $false -IssueWarningQuota 200MB -ProhibitSendQuota 250MB -ProhibitSendReceiveQuota 280MB',
      description:
        'Exchange sets storage quotas on the mailboxes of an organisational unit; umpin has neither, so it warns and changes nothing.',
      source: 'microsoft',
    },
    {
      code: 'Set-Mailbox John@contoso.com -MailTipTranslations ("FR: C\'est la langue française", "CHT: 這是漢語語言")',
      description: 'Exchange sets translated MailTips; umpin has no MailTips and warns.',
      source: 'microsoft',
      setup: "New-Mailbox -Name 'John Woods' -Alias john",
    },
    {
      code: 'Set-Mailbox -Identity "John Woods" -EmailAddresses @{add="Jwoods@contoso.com"}',
      description:
        'Exchange adds a secondary address; umpin keeps only the primary address and the EUM addresses, so it warns and changes nothing.',
      source: 'microsoft',
      setup: "New-Mailbox -Name 'John Woods' -Alias john",
    },
    {
      code: "Set-Mailbox tonysmith -EmailAddresses @{Add='eum:10299;phone-context=Contoso.contoso.com'; Remove='eum:10231;phone-context=Contoso.contoso.com'}",
      description:
        'Changes Tony Smith’s extension from 10231 to 10299 in the Contoso dial plan, as Exchange scripts do with EUM addresses.',
      source: 'umpin',
    },
    {
      code: "Set-Mailbox kimakers -EmailAddresses @{Add='eum:10298;phone-context=Contoso.contoso.com'}",
      description: 'Gives Kim Akers a second extension, 10298, besides 10232.',
      source: 'umpin',
    },
    {
      code: "Set-Mailbox tonysmith -PrimarySmtpAddress tony.smith@contoso.com -DisplayName 'Tony Smith (Sales)'",
      description: 'Changes Tony Smith’s e-mail address, to which PIN mails go from now on, and his display name.',
      source: 'umpin',
    },
  ],
  confirmImpact: 'medium',
  async process(ctx, params) {
    const id = params.Identity as string;
    const changes: RecipientChanges = {};
    const display = params.DisplayName as string | undefined;
    const name = params.Name as string | undefined;
    if (display !== undefined && name !== undefined && display !== name)
      ctx.warn(`umpin keeps one name per mailbox: the display name "${display}"; the name "${name}" is not kept.`);
    if (display !== undefined || name !== undefined) changes.displayName = (display ?? name)!;
    if (params.Alias !== undefined) changes.alias = params.Alias as string;
    if (params.PrimarySmtpAddress !== undefined) changes.primarySmtpAddress = params.PrimarySmtpAddress as string;
    if (params.UserPrincipalName !== undefined) changes.userPrincipalName = params.UserPrincipalName as string;

    const addresses = params.EmailAddresses as MultiValuedValue | undefined;
    if (addresses) {
      // what the service will not keep, told before it is asked (the parse is the one the service makes)
      const edit = parseEmailAddresses(multiValuedEdit(addresses));
      // addresses umpin keeps none of change nothing, as Exchange says
      if (edit.primary !== undefined || edit.eum) changes.emailAddresses = multiValuedEdit(addresses);
      if (edit.ignored.length > 0)
        ctx.warn(
          `umpin keeps only the primary SMTP address and the EUM addresses (UM extensions); not kept: ${edit.ignored.join(', ')}.`,
        );
      if (edit.eumKept && (await umMailboxOf(ctx, (await ctx.ops.getRecipient(id)).id))) {
        ctx.warn(
          `The EUM addresses of '${id}' are kept: a UM mailbox needs its extension. Disable-UMMailbox removes them.`,
        );
      }
    }
    const languages = params.Languages as MultiValuedValue | undefined;
    if (languages) changes.languages = multiValuedEdit(languages);

    if (Object.keys(changes).length === 0) return noChange(ctx, id, () => ctx.ops.getRecipient(id));
    if (!(await ctx.shouldProcess(id, 'Set-Mailbox'))) return;
    const changed = await ctx.ops.setRecipient(id, changes);
    const asked = languages ? ('replace' in languages ? languages.replace : languages.add) : [];
    if (asked.some((l) => l.toLowerCase() !== (changed.language ?? '').toLowerCase()))
      ctx.warn(`umpin keeps one language per mailbox: ${changed.language}.`);
  },
};

// ---------------------------------------------------------------- Remove-Mailbox

const removeMailbox: CmdletDefinition = {
  name: 'Remove-Mailbox',
  synopsis: 'Deletes a recipient, its UM mailbox and its PIN data.',
  description:
    'Deletes the recipient. If it is UM-enabled, its extensions, PIN and PIN history go with it. Asks for confirmation unless -Confirm:$false is given.',
  parameters: [identityParameter(true, IDENTITY_HELP)],
  ignoredParameters: REMOVE_MAILBOX_IGNORED,
  examples: [
    {
      code: 'Remove-Mailbox -Identity "John Rodman"',
      description: 'Deletes John Rodman’s mailbox.',
      source: 'microsoft',
      setup: "New-Mailbox -Name 'John Rodman' -Alias jrodman",
    },
    {
      code: 'Remove-Mailbox -Identity "John Rodman" -Permanent $true',
      description:
        'Deletes John Rodman’s mailbox. umpin always deletes at once, so -Permanent is ignored with a warning.',
      source: 'microsoft',
      setup: "New-Mailbox -Name 'John Rodman' -Alias jrodman",
    },
  ],
  confirmImpact: 'high',
  async process(ctx, params) {
    const id = params.Identity as string;
    if (!(await ctx.shouldProcess(id, 'Remove-Mailbox'))) return;
    await ctx.ops.removeRecipient(id);
  },
};

export const MAILBOX_CMDLETS: readonly CmdletDefinition[] = [
  newMailbox,
  getMailbox,
  setMailbox,
  removeMailbox,
  ...REGIONAL_CONFIGURATION_CMDLETS,
  CONVERT_TO_SECURE_STRING,
];
