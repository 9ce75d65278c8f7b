/**
 * The properties Get-UMMailbox and Get-Mailbox (and their REST lists) filter and sort on:
 * which exist, what each reads in the store, and which an index serves. An OPATH filter
 * (domain/opath-filter.ts) becomes a RecipientCondition the store evaluates in its query, so
 * no caller ever pulls pages to filter them; a property that cannot be filtered or sorted
 * on is refused, naming it and those that can.
 */
import { UmpinError } from '../domain/errors.js';
import { parseOpathFilter, parseWildcard, type OpathComparison, type OpathNode } from '../domain/opath-filter.js';
import {
  RECIPIENT_FIELDS,
  type RecipientCondition,
  type RecipientField,
  type RecipientSort,
  type RecipientSortField,
} from './ports/recipients.js';

export interface ListedProperty {
  /** the store field it reads; absent for a property every listed object has the same value of */
  field?: RecipientField;
  constant?: string | boolean;
  sortable?: boolean;
  /** an index serves an equality or prefix on it (sort by it, for a sortable key): one indexed query at any size */
  indexed?: boolean;
}

export interface PropertyCatalog {
  /** what an object of the list is, for messages: "a UM mailbox" */
  noun: string;
  properties: Readonly<Record<string, ListedProperty>>;
}

/** Get-UMMailbox's UMMailbox, and its PIN state as Get-UMMailboxPIN shows it. */
export const UM_MAILBOX_CATALOG: PropertyCatalog = {
  noun: 'a UM mailbox',
  properties: {
    Name: { field: 'displayName', sortable: true, indexed: true },
    DisplayName: { field: 'displayName', sortable: true, indexed: true },
    Alias: { field: 'alias', sortable: true, indexed: true },
    PrimarySmtpAddress: { field: 'primarySmtpAddress', sortable: true, indexed: true },
    EmailAddresses: { field: 'emailAddresses' },
    UMEnabled: { constant: true },
    Extensions: { field: 'extensions', sortable: true, indexed: true },
    UMMailboxPolicy: { field: 'umMailboxPolicy', sortable: true, indexed: true },
    UMDialPlan: { field: 'umDialPlan', sortable: true },
    SIPResourceIdentifier: { field: 'sipResourceIdentifier', sortable: true },
    WhenUMEnabled: { field: 'umEnabledAt', sortable: true },
    Identity: { field: 'id', sortable: true, indexed: true },
    IsValid: { constant: true },
    ObjectState: { constant: 'Unchanged' },
    LockedOut: { field: 'lockedOut', indexed: true },
    PinExpired: { field: 'pinExpired', indexed: true },
    FirstTimeUser: { field: 'firstTimeUser', indexed: true },
  },
};

/** Get-Mailbox's Mailbox. */
export const MAILBOX_CATALOG: PropertyCatalog = {
  noun: 'a mailbox',
  properties: {
    Name: { field: 'displayName', sortable: true, indexed: true },
    Alias: { field: 'alias', sortable: true, indexed: true },
    DisplayName: { field: 'displayName', sortable: true, indexed: true },
    PrimarySmtpAddress: { field: 'primarySmtpAddress', sortable: true, indexed: true },
    UserPrincipalName: { field: 'userPrincipalName', sortable: true, indexed: true },
    EmailAddresses: { field: 'emailAddresses' },
    UMEnabled: { field: 'umEnabled', indexed: true },
    Languages: { field: 'language' },
    RecipientTypeDetails: { constant: 'UserMailbox' },
    // the address: what Get-Mailbox shows as Identity
    Identity: { field: 'primarySmtpAddress', sortable: true, indexed: true },
    Guid: { field: 'id', sortable: true, indexed: true },
    WhenCreated: { field: 'createdAt', sortable: true },
    WhenChanged: { field: 'updatedAt', sortable: true },
  },
};

export const filterableProperties = (catalog: PropertyCatalog): string[] => Object.keys(catalog.properties);
export const sortableProperties = (catalog: PropertyCatalog): string[] =>
  Object.entries(catalog.properties)
    .filter(([, p]) => p.sortable)
    .map(([name]) => name);

function invalid(field: 'Filter' | 'SortBy', rule: string): UmpinError {
  return new UmpinError({ code: 'UMPIN_VALUE_INVALID', field, params: { field, rule } });
}

function lookUp(catalog: PropertyCatalog, name: string): [string, ListedProperty] | undefined {
  const k = name.toLowerCase();
  return Object.entries(catalog.properties).find(([n]) => n.toLowerCase() === k);
}

/** An OPATH filter's text as the condition the store evaluates. */
export function recipientFilter(text: string, catalog: PropertyCatalog): RecipientCondition {
  return fromNode(parseOpathFilter(text), catalog);
}

function fromNode(node: OpathNode, catalog: PropertyCatalog): RecipientCondition {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, operands: [fromNode(node.left, catalog), fromNode(node.right, catalog)] };
    case 'not':
      return { kind: 'not', operand: fromNode(node.operand, catalog) };
    case 'compare':
      return comparison(node, catalog);
  }
}

const not = (c: RecipientCondition): RecipientCondition => ({ kind: 'not', operand: c });

/**
 * One comparison. -ne and -notlike are the negations of -eq and -like, so a multi-valued
 * property (Extensions, EmailAddresses) meets -eq when any value does and -ne when none does,
 * as OPATH reads them; $null asks for no value.
 */
function comparison(c: OpathComparison, catalog: PropertyCatalog): RecipientCondition {
  const found = lookUp(catalog, c.property);
  if (!found)
    throw invalid(
      'Filter',
      `${c.property} is not a property of ${catalog.noun} that can be filtered on; use one of ${filterableProperties(catalog).join(', ')}`,
    );
  const [name, p] = found;
  const negated = c.operator === 'ne' || c.operator === 'notlike';
  const positive = c.operator === 'ne' ? 'eq' : c.operator === 'notlike' ? 'like' : c.operator;
  const cond =
    p.field === undefined
      ? constantComparison(name, p.constant!, positive, c.value)
      : fieldComparison(name, p.field, positive, c.value);
  return negated ? not(cond) : cond;
}

type Positive = 'eq' | 'lt' | 'le' | 'gt' | 'ge' | 'like';

function flagValue(name: string, value: string | boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (/^(true|1)$/i.test(value)) return true;
  if (/^(false|0)$/i.test(value)) return false;
  throw invalid('Filter', `${name} is $true or $false, not '${value}'`);
}

function fieldComparison(
  name: string,
  field: RecipientField,
  op: Positive,
  value: string | boolean | null,
): RecipientCondition {
  const kind = RECIPIENT_FIELDS[field];
  if (value === null) {
    if (op !== 'eq') throw invalid('Filter', `-${op} cannot compare ${name} with $null; use -eq or -ne`);
    return { kind: 'empty', field };
  }
  if (kind === 'flag') {
    if (op !== 'eq') throw invalid('Filter', `${name} is $true or $false: compare it with -eq or -ne, not -${op}`);
    return { kind: 'compare', field, operator: 'eq', value: flagValue(name, value) };
  }
  if (kind === 'time') {
    if (op === 'like')
      throw invalid('Filter', `${name} is a date: compare it with -eq, -ne, -gt, -lt, -ge or -le, not -like`);
    const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(at))
      throw invalid(
        'Filter',
        `${name} is a date, such as '2026-12-01' or '2026-12-01T09:30:00Z', not '${String(value)}'`,
      );
    return { kind: 'compare', field, operator: op, value: at };
  }
  const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : value;
  return op === 'like'
    ? { kind: 'like', field, pattern: parseWildcard(text) }
    : { kind: 'compare', field, operator: op, value: text };
}

/** A property every listed object has the same value of (IsValid, ObjectState...): the comparison is true or false for all. */
function constantComparison(
  name: string,
  constant: string | boolean,
  op: Positive,
  value: string | boolean | null,
): RecipientCondition {
  if (value === null) {
    if (op !== 'eq') throw invalid('Filter', `-${op} cannot compare ${name} with $null; use -eq or -ne`);
    return { kind: 'constant', value: false };
  }
  if (typeof constant === 'boolean') {
    if (op !== 'eq') throw invalid('Filter', `${name} is $true or $false: compare it with -eq or -ne, not -${op}`);
    return { kind: 'constant', value: flagValue(name, value) === constant };
  }
  const a = constant.toLowerCase();
  const e = String(value).toLowerCase();
  if (op === 'like') {
    const re = parseWildcard(String(value))
      .map((part) =>
        part.kind === 'any'
          ? '.*'
          : part.kind === 'one'
            ? '.'
            : part.text.toLowerCase().replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'),
      )
      .join('');
    return { kind: 'constant', value: new RegExp(`^${re}$`, 's').test(a) };
  }
  const order = a < e ? -1 : a > e ? 1 : 0;
  const holds = { eq: order === 0, lt: order < 0, le: order <= 0, gt: order > 0, ge: order >= 0 }[op];
  return { kind: 'constant', value: holds };
}

/**
 * -SortBy: a property, ascending; `-Name` or `Name desc` for descending. A property that is
 * not sortable is refused with those that are.
 */
export function recipientSort(text: string, catalog: PropertyCatalog): RecipientSort {
  let name = String(text).trim();
  let descending = false;
  const suffix = /\s+(asc|ascending|desc|descending)$/i.exec(name);
  if (suffix) {
    descending = suffix[1]!.toLowerCase().startsWith('desc');
    name = name.slice(0, suffix.index).trim();
  } else if (name.startsWith('-')) {
    descending = true;
    name = name.slice(1).trim();
  }
  const found = lookUp(catalog, name);
  if (!found?.[1].sortable || found[1].field === undefined) {
    throw invalid(
      'SortBy',
      `${text} is not a property of ${catalog.noun} that results can be sorted by; use one of ${sortableProperties(catalog).join(', ')} ('-Name' or 'Name desc' sorts descending)`,
    );
  }
  return { field: found[1].field as RecipientSortField, descending };
}
