/**
 * Search-AdminAuditLog: umpin's audit log (every administrative change and refusal, in a
 * keyed hash chain) searched by cmdlet, object, caller, parameter, result and date, and
 * shown as Exchange's AdminAuditLogEvent objects.
 */
import { AUDIT_SEARCH_MAX, exchangeParameterName } from '../../../services/audit-log.js';
import type { AuditEntry } from '../../../domain/audit-entry.js';
import type { CmdletDefinition } from '../../cmdlet.js';
import { psObject, type PSObject } from '../../ps-object.js';
import { DOMAIN_CONTROLLER } from './directory-only-parameters.js';
import { invalidValue } from './invalid-value.js';
import { DEFAULT_RESULT_SIZE } from './result-size.js';

const TYPE_NAME = 'AdminAuditLogEvent';

/** One entry as Exchange shows it, parameters under Exchange's names; Error is umpin's error code, which names the rule broken. */
export function auditEventObject(e: AuditEntry): PSObject {
  return psObject(TYPE_NAME, {
    RunDate: new Date(e.at),
    Caller: e.actor,
    CmdletName: e.action,
    ObjectModified: e.target,
    CmdletParameters: Object.entries(e.parameters).map(([name, Value]) =>
      psObject('AdminAuditLogCmdletParameter', { Name: exchangeParameterName(name), Value }),
    ),
    Succeeded: e.result === 'success',
    Error: e.errorCode,
    ExternalAccess: false,
    // umpin's: where the call came from (an IP address, "cli", "sip:<caller>")
    Source: e.source,
    Identity: e.seq,
  });
}

const list = (v: unknown): string[] | undefined => (Array.isArray(v) && v.length > 0 ? (v as string[]) : undefined);

const searchAdminAuditLog: CmdletDefinition = {
  name: 'Search-AdminAuditLog',
  synopsis: 'Searches the administrator audit log.',
  description:
    'Searches umpin’s audit log, which records every administrative change and every refused attempt: who ran which cmdlet on which object, with which parameters (never a PIN), and whether it succeeded. ' +
    'Without parameters it shows the first 1000 entries in the order they were written; the filters narrow that down and combine. ObjectIds match the object as it was named when the cmdlet ran.',
  parameters: [
    {
      name: 'Cmdlets',
      type: 'string[]',
      pipeline: { byValue: true },
      help: 'Entries of any of these cmdlets, such as Set-UMMailboxPIN,Set-UMMailboxPolicy. Shown as CmdletName.',
    },
    {
      name: 'ObjectIds',
      type: 'string[]',
      help: 'Entries about any of these objects, named as the cmdlet named them (tonysmith@contoso.com, Contoso Default Policy). Shown as ObjectModified.',
    },
    {
      name: 'UserIds',
      type: 'string[]',
      help: 'Entries of any of these callers, such as local:root or admin:alice. Shown as Caller.',
    },
    {
      name: 'Parameters',
      type: 'string[]',
      help: 'With -Cmdlets: entries that used any of these parameters, such as MinPINLength. Shown as CmdletParameters.',
    },
    {
      name: 'StartDate',
      type: 'datetime',
      help: 'Entries written at or after this date and time, such as 11/25/2026 or "11/25/2026 5:00 PM" (local time).',
    },
    {
      name: 'EndDate',
      type: 'datetime',
      help: 'Entries written at or before this date and time; a date alone means its midnight.',
    },
    {
      name: 'IsSuccess',
      type: 'bool',
      help: '$true: only changes that succeeded; $false: only refused or failed attempts. Shown as Succeeded.',
    },
    {
      name: 'ResultSize',
      type: 'int',
      help: `The most entries to show: default 1000, at most ${AUDIT_SEARCH_MAX} at a time (use -StartIndex for the next ones).`,
    },
    {
      name: 'StartIndex',
      type: 'int',
      help: 'How many matching entries to skip first (0 = from the first), to page through a long result.',
    },
    {
      name: 'ExternalAccess',
      type: 'bool',
      help: 'Exchange Online’s filter for changes made by Microsoft’s datacenter staff. umpin has no outside administrators: $true finds nothing, $false filters nothing.',
    },
  ],
  ignoredParameters: [DOMAIN_CONTROLLER],
  examples: [
    {
      code: 'Search-AdminAuditLog -Cmdlets New-RoleGroup,New-ManagementRoleAssignment',
      description: 'Finds the entries of either cmdlet. umpin has neither, so nothing is found.',
      source: 'microsoft',
    },
    {
      code: 'Search-AdminAuditLog -Cmdlets Set-Mailbox -Parameters UseDatabaseQuotaDefaults,ProhibitSendReceiveQuota,ProhibitSendQuota -StartDate 01/24/2018 -EndDate 02/12/2018 -IsSuccess $true',
      description:
        'Finds the successful Set-Mailbox entries from 24 January to 12 February 2018 that used any of the three quota parameters.',
      source: 'microsoft',
    },
    {
      code: '$LogEntries = Search-AdminAuditLog -Cmdlets Write-AdminAuditLog\n$LogEntries | ForEach { $_.CmdletParameters }',
      description: 'Keeps the entries of Write-AdminAuditLog in a variable, then shows the parameters of each.',
      source: 'microsoft',
    },
    {
      code: 'Search-AdminAuditLog -ExternalAccess $true -StartDate 09/17/2018 -EndDate 10/02/2018',
      description:
        'Exchange Online finds the changes Microsoft’s datacenter staff made in that period; umpin has no outside administrators, so nothing is found.',
      source: 'microsoft',
    },
    {
      code: 'Search-AdminAuditLog -Cmdlets Set-UMMailboxPIN -ObjectIds tonysmith@contoso.com',
      description: 'Shows who reset or unlocked Tony Smith’s PIN, and when.',
      source: 'umpin',
    },
    {
      code: 'Search-AdminAuditLog -IsSuccess $false | Format-Table RunDate,Caller,CmdletName,ObjectModified,Error',
      description: 'Lists the refused attempts with the error code of each.',
      source: 'umpin',
    },
  ],
  outputs: [
    {
      typeName: TYPE_NAME,
      view: {
        kind: 'list',
        properties: ['RunDate', 'Caller', 'CmdletName', 'ObjectModified', 'CmdletParameters', 'Succeeded', 'Error'],
      },
    },
  ],
  async process(ctx, params) {
    if (params.ExternalAccess === true) return;
    const cmdlets = list(params.Cmdlets);
    const parameters = list(params.Parameters);
    if (parameters && !cmdlets) {
      throw invalidValue('Parameters', 'it can only be used with -Cmdlets');
    }
    const size = (params.ResultSize as number | undefined) ?? DEFAULT_RESULT_SIZE;
    if (size > AUDIT_SEARCH_MAX)
      ctx.warn(`umpin returns at most ${AUDIT_SEARCH_MAX} entries at a time; use -StartIndex for the next ones.`);
    const start = params.StartDate as Date | undefined;
    const end = params.EndDate as Date | undefined;
    const success = params.IsSuccess as boolean | undefined;
    const entries = await ctx.ops.searchAuditLog({
      actions: cmdlets,
      targets: list(params.ObjectIds),
      actors: list(params.UserIds),
      parameters,
      from: start?.getTime(),
      to: end?.getTime(),
      result: success === undefined ? undefined : success ? 'success' : 'failure',
      offset: (params.StartIndex as number | undefined) ?? 0,
      limit: size,
    });
    for (const e of entries) ctx.emit(auditEventObject(e));
  },
};

export const ADMIN_AUDIT_LOG_CMDLETS: readonly CmdletDefinition[] = [searchAdminAuditLog];
