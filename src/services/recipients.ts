import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { throwIfAny, UmpinError, type Issue } from '../domain/errors.js';
import { applyMultiValuedEdit, type MultiValuedEdit } from '../domain/multi-valued.js';
import { parseWildcard } from '../domain/opath-filter.js';
import { applyEumEdit, parseEmailAddresses } from '../domain/proxy-addresses.js';
import type { Page } from '../domain/page.js';
import type { Recipient } from '../domain/recipient.js';
import { checkSafeText } from '../domain/text-safety.js';
import type { RecipientCondition } from './ports/recipients.js';
import type { Actor } from './actor.js';
import { mutate } from './audit.js';
import { authorize } from './permissions.js';
import type { Deps } from './ports/deps.js';
import { recipientFilter, recipientSort, MAILBOX_CATALOG } from './recipient-properties.js';
import { loadMailbox, pagePoliciesAndDialPlans, resolveRecipient } from './resolve.js';
import { scopeCondition } from './scope.js';
import { writeUmMailbox } from './um-mailboxes.js';

/**
 * Recipients exist before they are UM-enabled (Exchange's mailboxes). Directory sync will
 * write through this same service.
 */
export interface RecipientInput {
  primarySmtpAddress: string;
  alias?: string;
  displayName?: string;
  userPrincipalName?: string;
  language?: string | null;
}

const SMTP =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
// Exchange aliases: letters, digits and these symbols; no spaces, no leading or trailing dot
const ALIAS = /^(?!\.)[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]{1,64}(?<!\.)$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?$/i;

function checkRecipient(r: Omit<Recipient, 'id' | 'createdAt' | 'updatedAt'>): Issue[] {
  const issues: Issue[] = [];
  const invalid = (field: string, rule: string) =>
    issues.push({ code: 'UMPIN_VALUE_INVALID', field, params: { field, rule } });
  if (!SMTP.test(r.primarySmtpAddress) || r.primarySmtpAddress.length > 320)
    invalid('PrimarySmtpAddress', 'it must be an e-mail address such as tonysmith@contoso.com');
  if (!SMTP.test(r.userPrincipalName) || r.userPrincipalName.length > 320)
    invalid('UserPrincipalName', 'it must look like an e-mail address, such as tonysmith@contoso.com');
  if (!ALIAS.test(r.alias))
    invalid('Alias', 'it must be 1-64 letters, digits or . - _ and similar symbols, without spaces');
  if (r.displayName.trim() === '' || r.displayName.length > 256)
    invalid('DisplayName', 'it must be 1-256 printable characters');
  else {
    const unsafe = checkSafeText('DisplayName', r.displayName, 'name');
    if (unsafe) issues.push(unsafe);
  }
  if (r.language !== null && !LANGUAGE.test(r.language))
    invalid('Language', 'it must be a language tag such as en-US or zh-TW');
  return issues;
}

function normalize(input: RecipientInput): Omit<Recipient, 'id' | 'createdAt' | 'updatedAt'> {
  const smtp = (input.primarySmtpAddress ?? '').trim();
  const alias = (input.alias ?? smtp.split('@')[0] ?? '').trim();
  return {
    primarySmtpAddress: smtp,
    alias,
    displayName: (input.displayName ?? alias).trim(),
    userPrincipalName: (input.userPrincipalName ?? smtp).trim(),
    language: input.language ? input.language.trim() : null,
  };
}

async function checkUnique(
  reads: import('./ports/store.js').StoreReads,
  r: Omit<Recipient, 'createdAt' | 'updatedAt'>,
): Promise<void> {
  for (const [field, value] of [
    ['PrimarySmtpAddress', r.primarySmtpAddress],
    ['Alias', r.alias],
    ['UserPrincipalName', r.userPrincipalName],
  ] as const) {
    const clash = (await reads.findRecipients(value)).find(
      (o) =>
        o.id !== r.id &&
        [o.primarySmtpAddress, o.alias, o.userPrincipalName].some((v) => v.toLowerCase() === value.toLowerCase()),
    );
    if (clash) throw new UmpinError({ code: 'UMPIN_RECIPIENT_ADDRESS_IN_USE', field, params: { field, value } });
  }
}

export async function newRecipient(deps: Deps, actor: Actor, input: RecipientInput): Promise<Recipient> {
  return mutate(
    deps,
    actor,
    { action: 'New-Mailbox', target: input.primarySmtpAddress ?? null, parameters: { ...input } },
    async (tx) => {
      authorize(actor, 'recipient:write', 'New-Mailbox');
      const fields = normalize(input);
      throwIfAny(checkRecipient(fields));
      const now = deps.clock.now();
      const r: Recipient = { ...fields, id: randomUUID(), createdAt: now, updatedAt: now };
      await checkUnique(tx, r);
      await tx.insertRecipient(r);
      return r;
    },
  );
}

/** Set-Mailbox's changes: the recipient's fields, and two of Exchange's multi-valued properties. */
export interface RecipientChanges extends Partial<RecipientInput> {
  /**
   * EmailAddresses: proxy addresses. An `SMTP:` one (or a replacing list's first SMTP one)
   * becomes the primary address; `EUM:` ones are the UM mailbox's extensions; others are
   * not kept. A list replaces, `{ add, remove }` edits the addresses as they are when the
   * change is written.
   */
  emailAddresses?: MultiValuedEdit;
  /** Languages: umpin keeps one, the first of the list the edit leaves */
  languages?: MultiValuedEdit;
}

/**
 * Set-Mailbox, in one transaction that holds the recipient's row first: the extensions an
 * EUM edit changes and the address an SMTP: one sets are written together, and edits made
 * at once are all kept.
 */
export async function setRecipient(
  deps: Deps,
  actor: Actor,
  identity: string,
  changes: RecipientChanges,
): Promise<Recipient> {
  return mutate(deps, actor, { action: 'Set-Mailbox', target: identity, parameters: { ...changes } }, async (tx) => {
    const id = (await resolveRecipient(tx, identity, 'Identity', { actor })).id;
    await tx.lockRecipient(id);
    // read again once the row is held: what was read before may have changed since
    const cur = await resolveRecipient(tx, id, 'Identity', { actor });
    authorize(actor, 'recipient:write', 'Set-Mailbox', { recipientId: cur.id, label: cur.primarySmtpAddress });
    let primarySmtpAddress = changes.primarySmtpAddress?.trim();
    if (changes.emailAddresses !== undefined) {
      const edit = parseEmailAddresses(changes.emailAddresses);
      if (edit.primary !== undefined) {
        if (primarySmtpAddress !== undefined && primarySmtpAddress.toLowerCase() !== edit.primary.toLowerCase()) {
          throw new UmpinError({
            code: 'UMPIN_VALUE_INVALID',
            field: 'EmailAddresses',
            params: {
              field: 'EmailAddresses',
              rule: 'it cannot name a primary SMTP: address in the same command as -PrimarySmtpAddress',
            },
          });
        }
        primarySmtpAddress = edit.primary;
      }
      // extensions first: they are the likelier refusal (in use)
      if (edit.eum) {
        const m = await loadMailbox(tx, cur);
        authorize(actor, 'mailbox:write', 'Set-Mailbox', { dialPlanId: m.dialPlan.id, label: cur.primarySmtpAddress });
        const extensions = applyEumEdit(m.mailbox.extensions, edit.eum, m.dialPlan.name, cur.primarySmtpAddress);
        await writeUmMailbox(tx, m, {
          policy: m.policy,
          dialPlan: m.dialPlan,
          extensions,
          sipResourceIdentifier: m.mailbox.sipResourceIdentifier,
        });
      }
    }
    let language = changes.language;
    if (changes.languages !== undefined)
      language = applyMultiValuedEdit(cur.language ? [cur.language] : [], changes.languages)[0] ?? null;
    const next: Recipient = {
      ...cur,
      primarySmtpAddress: primarySmtpAddress ?? cur.primarySmtpAddress,
      alias: changes.alias?.trim() ?? cur.alias,
      displayName: changes.displayName?.trim() ?? cur.displayName,
      userPrincipalName: changes.userPrincipalName?.trim() ?? cur.userPrincipalName,
      language: language === undefined ? cur.language : language === null || language === '' ? null : language.trim(),
      updatedAt: deps.clock.now(),
    };
    throwIfAny(checkRecipient(next));
    await checkUnique(tx, next);
    await tx.updateRecipient(next);
    return next;
  });
}

/** Removing a recipient also disables its UM mailbox and erases its PIN data. */
export async function removeRecipient(deps: Deps, actor: Actor, identity: string): Promise<void> {
  await mutate(
    deps,
    actor,
    { action: 'Remove-Mailbox', target: identity, parameters: { Identity: identity } },
    async (tx) => {
      const r = await resolveRecipient(tx, identity, 'Identity', { actor });
      authorize(actor, 'recipient:write', 'Remove-Mailbox', { recipientId: r.id, label: r.primarySmtpAddress });
      await tx.deleteRecipient(r.id);
    },
  );
}

export async function getRecipient(deps: Deps, actor: Actor, identity: string): Promise<Recipient> {
  const r = await resolveRecipient(deps.store, identity, 'Identity', { actor });
  authorize(actor, 'recipient:read', 'Get-Mailbox', { recipientId: r.id, label: r.primarySmtpAddress });
  return r;
}

/** What Get-Mailbox and GET /recipients list by: a search, UM state or policy, an OPATH filter and a sort. */
export interface ListRecipientsQuery {
  /**
   * only what this identity names (Get-Mailbox -Identity): one recipient, resolved as
   * getRecipient resolves it, or with * and ? a pattern matched against the display name,
   * alias, address and user principal name
   */
  identity?: string;
  /** prefix of the display name, alias or address (-Anr) */
  search?: string;
  umEnabled?: boolean;
  /** only recipients whose UM mailbox has the policy of this id */
  policyId?: string;
  /** an OPATH filter on Mailbox properties (-Filter), evaluated by the store */
  filter?: string;
  /** a Mailbox property, `-Name` for descending (-SortBy); default: by display name */
  sortBy?: string;
  cursor?: string | null;
  limit: number;
}

/** A recipient's UM mailbox as a list of recipients shows it: what its EUM addresses are made of. */
export interface RecipientUMMailbox {
  umMailboxPolicy: string;
  umDialPlan: string;
  extensions: string[];
}

/** A recipient in a list, with its UM mailbox (null when it has none, or the caller's scope does not reach its dial plan). */
export interface RecipientListItem extends Recipient {
  umMailbox: RecipientUMMailbox | null;
}

async function identityCondition(deps: Deps, actor: Actor, identity: string): Promise<RecipientCondition> {
  if (/[*?]/.test(identity)) {
    const pattern = parseWildcard(identity.trim(), 'Identity');
    return {
      kind: 'or',
      operands: (['displayName', 'alias', 'primarySmtpAddress', 'userPrincipalName'] as const).map((field) => ({
        kind: 'like',
        field,
        pattern,
      })),
    };
  }
  const r = await getRecipient(deps, actor, identity);
  return { kind: 'compare', field: 'id', operator: 'eq', value: r.id };
}

/**
 * One page of recipients, filtered and sorted in one store query, each with its UM mailbox
 * read for the whole page at once (not once per recipient).
 */
export async function listRecipients(
  deps: Deps,
  actor: Actor,
  q: ListRecipientsQuery,
): Promise<Page<RecipientListItem>> {
  authorize(actor, 'recipient:read', 'Get-Mailbox');
  const conditions: RecipientCondition[] = [];
  if (q.filter !== undefined) conditions.push(recipientFilter(q.filter, MAILBOX_CATALOG));
  if (q.identity !== undefined) conditions.push(await identityCondition(deps, actor, q.identity));
  // a scoped caller lists the recipients of its dial plans only (one without a UM mailbox is in none)
  const scope = scopeCondition(actor);
  if (scope) conditions.push(scope);
  const sort = q.sortBy !== undefined ? recipientSort(q.sortBy, MAILBOX_CATALOG) : undefined;
  const filter: RecipientCondition | undefined =
    conditions.length > 1 ? { kind: 'and', operands: conditions } : conditions[0];
  const page = await deps.store.umMailboxPage(
    {
      search: q.search,
      umEnabled: q.umEnabled,
      policyId: q.policyId,
      filter,
      now: deps.clock.now(),
      sort,
      cursor: q.cursor,
      limit: Math.min(Math.max(1, q.limit), 1000),
    },
    { pins: false },
  );
  const { policies, dialPlans } = await pagePoliciesAndDialPlans(deps.store, page.items, false);
  const items = new Array<RecipientListItem>(page.items.length);
  for (let i = 0; i < items.length; i++) {
    const { recipient, mailbox: m } = page.items[i]!;
    // outside a scoped caller's dial plans a mailbox shows as not UM-enabled, as Get-UMMailbox refuses it
    const umMailbox: RecipientUMMailbox | null =
      !m || (actor.dialPlanScope && !actor.dialPlanScope.includes(m.dialPlanId))
        ? null
        : {
            umMailboxPolicy: policies.get(m.policyId)!.name,
            umDialPlan: dialPlans.get(m.dialPlanId)!.name,
            extensions: m.extensions,
          };
    items[i] = { ...recipient, umMailbox };
  }
  return { items, next: page.next };
}

export interface ImportResult {
  created: number;
  updated: number;
}

const COLUMN_ALIASES: Record<string, keyof RecipientInput> = {
  primarysmtpaddress: 'primarySmtpAddress',
  emailaddress: 'primarySmtpAddress',
  email: 'primarySmtpAddress',
  windowsemailaddress: 'primarySmtpAddress',
  alias: 'alias',
  displayname: 'displayName',
  name: 'displayName',
  userprincipalname: 'userPrincipalName',
  upn: 'userPrincipalName',
  language: 'language',
};

/**
 * Imports recipients from CSV (header row; columns PrimarySmtpAddress or EmailAddress,
 * Alias, DisplayName, UserPrincipalName, Language, in any order and letter case). All or
 * nothing: every line is checked first and any problem is reported with its line number.
 * An address that exists already updates that recipient.
 */
export async function importRecipientsCsv(deps: Deps, actor: Actor, csv: string): Promise<ImportResult> {
  return mutate(
    deps,
    actor,
    { action: 'Import-Recipients', target: null, parameters: { bytes: csv.length } },
    async (tx) => {
      authorize(actor, 'recipient:write', 'Import-Recipients');
      // info: each record's line in the file, so blank lines skipped do not shift the numbers in errors
      let rows: Array<{ record: string[]; info: { lines: number } }>;
      try {
        rows = parse(csv, {
          bom: true,
          skip_empty_lines: true,
          trim: true,
          relax_column_count: false,
          info: true,
        }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
      } catch (err) {
        const line = (err as { lines?: number }).lines ?? 0;
        throw new UmpinError({
          code: 'UMPIN_CSV_INVALID',
          params: { line, rule: 'the file is not valid CSV (check quotes and the number of columns)' },
        });
      }
      const [header, ...body] = rows.map((r) => r.record);
      if (!header) throw new UmpinError({ code: 'UMPIN_CSV_INVALID', params: { line: 1, rule: 'the file is empty' } });
      const columns = header.map((h) => COLUMN_ALIASES[h.replace(/[\s_-]/g, '').toLowerCase()]);
      if (!columns.includes('primarySmtpAddress')) {
        throw new UmpinError({
          code: 'UMPIN_CSV_INVALID',
          params: { line: 1, rule: 'a PrimarySmtpAddress (or EmailAddress) column is required' },
        });
      }
      const seen = new Set<string>();
      const inputs = body.map((cells, i) => {
        const line = rows[i + 1]!.info.lines;
        const input = {} as RecipientInput;
        cells.forEach((v, c) => {
          const k = columns[c];
          if (k && v !== '') (input as unknown as Record<string, string>)[k] = v;
        });
        const fields = normalize(input);
        const issue = checkRecipient(fields)[0];
        if (issue)
          throw new UmpinError({
            code: 'UMPIN_CSV_INVALID',
            field: issue.field,
            params: {
              line,
              rule: `${issue.field} ${String((issue.params as { rule?: string } | undefined)?.rule ?? 'is not valid')}`,
            },
          });
        const k = fields.primarySmtpAddress.toLowerCase();
        if (seen.has(k))
          throw new UmpinError({
            code: 'UMPIN_CSV_INVALID',
            params: { line, rule: `${fields.primarySmtpAddress} appears twice` },
          });
        seen.add(k);
        return { fields, given: input, line };
      });
      const result: ImportResult = { created: 0, updated: 0 };
      const now = deps.clock.now();
      for (const { fields, given, line } of inputs) {
        const existing = (await tx.findRecipients(fields.primarySmtpAddress)).find(
          (r) => r.primarySmtpAddress.toLowerCase() === fields.primarySmtpAddress.toLowerCase(),
        );
        // an update changes only the columns the file has values for; defaults fill new recipients only
        const changed = Object.fromEntries(
          Object.keys(given).map((k) => [k, fields[k as keyof typeof fields]]),
        ) as Partial<typeof fields>;
        const r: Recipient = existing
          ? { ...existing, ...changed, updatedAt: now }
          : { ...fields, id: randomUUID(), createdAt: now, updatedAt: now };
        try {
          await checkUnique(tx, r);
        } catch (err) {
          if (err instanceof UmpinError)
            throw new UmpinError({
              code: 'UMPIN_CSV_INVALID',
              field: err.field,
              params: { line, rule: err.message.replace(/\.$/, '') },
            });
          throw err;
        }
        if (existing) {
          await tx.updateRecipient(r);
          result.updated++;
        } else {
          await tx.insertRecipient(r);
          result.created++;
        }
      }
      return result;
    },
  );
}
