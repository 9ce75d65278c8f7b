/**
 * The shell's operations over the REST API (`umpin shell --server URL`). Each member
 * calls the /api/v1 route whose handler calls the same service with the same arguments,
 * so cmdlets get the same objects and the same errors as with `localOperations`; nothing
 * here decides anything a service decides. What a route returns in pages, a member that
 * returns a whole list reads page by page.
 */
import type { AuditEntry } from '../domain/audit-entry.js';
import type { DialPlan } from '../domain/dial-plan.js';
import type { MailboxPolicy } from '../domain/policy.js';
import type { Page } from '../domain/page.js';
import type { Recipient } from '../domain/recipient.js';
import { AUDIT_SEARCH_MAX, auditCursor, type AuditSearch } from '../services/audit-log.js';
import type { NewDialPlanResult } from '../services/dial-plans.js';
import type { RecipientListItem } from '../services/recipients.js';
import type { UMMailboxPINPage, UMMailboxPINView } from '../services/get-um-mailbox-pin.js';
import type { SetUMMailboxPINInput, SetUMMailboxPINResult } from '../services/set-um-mailbox-pin.js';
import type { EnableUMMailboxResult, UMMailboxListItem, UMMailboxView } from '../services/um-mailboxes.js';
import type { ShellOperations } from './operations.js';
import { apiClient, segment, type ApiClient, type QueryValue, type RemoteOptions } from './remote-client.js';

export type { RemoteOptions } from './remote-client.js';

/** The largest page the API gives (MAX_PAGE_SIZE of its schemas). */
const API_PAGE = 1000;

const clamp = (n: number, min: number, max: number) => Math.min(Math.max(min, n), max);

export function remoteOperations(baseUrl: string, token: string, opts?: RemoteOptions): ShellOperations {
  return operationsOver(apiClient(baseUrl, token, opts), clamp(opts?.pageSize ?? API_PAGE, 1, API_PAGE));
}

/** Who the token stands for on that server (GET /api/v1/session): the remote shell's first call, so a bad URL or token fails at once. */
export async function remoteActor(
  baseUrl: string,
  token: string,
  opts?: RemoteOptions,
): Promise<{ name: string; roles: string[]; dialPlanScope: string[] | null }> {
  const r = await apiClient(baseUrl, token, opts).request<{
    actor: { name: string; roles: string[]; dialPlanScope: string[] | null };
  }>('GET', '/session');
  return r.actor;
}

function operationsOver(api: ApiClient, pageSize: number): ShellOperations {
  const get = <T>(path: string, query?: Record<string, QueryValue>) => api.request<T>('GET', path, { query });
  const send = <T>(method: 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown) =>
    api.request<T>(method, path, { body });
  const remove = async (path: string): Promise<void> => {
    await api.request<undefined>('DELETE', path);
  };

  /** Every page of a list route, for the services that return whole lists (dial plans, policies: tens of rows). */
  async function all<T>(path: string, query: Record<string, QueryValue>): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<T> = await get<Page<T>>(path, { ...query, cursor, limit: pageSize });
      out.push(...page.items);
      cursor = page.next;
    } while (cursor);
    return out;
  }

  async function pageUMMailboxPINs(q: {
    cursor?: string | null;
    limit: number;
    ignoreErrors?: boolean;
  }): Promise<UMMailboxPINPage> {
    // the service serves at most 500 per page, and fails on an unreadable mailbox unless told to skip it
    return get<UMMailboxPINPage>('/pins', {
      cursor: q.cursor,
      limit: clamp(q.limit, 1, 500),
      ignoreErrors: q.ignoreErrors ?? false,
    });
  }

  /** Set-UMMailboxPIN's input goes as it is, whichever parameter set: the service tells them apart. */
  function setUMMailboxPIN({ identity, ...input }: SetUMMailboxPINInput): Promise<SetUMMailboxPINResult> {
    return send('POST', `/um-mailboxes/${segment(identity)}/pin`, input);
  }

  async function searchAuditLog(filter: AuditSearch): Promise<AuditEntry[]> {
    // the service returns up to `limit` matches after `offset` ones; the route pages them by position in the log
    const limit = Math.max(0, Math.min(filter.limit ?? 1000, AUDIT_SEARCH_MAX));
    const need = Math.max(0, filter.offset ?? 0) + limit;
    const list = (one: string | undefined, many: readonly string[] | undefined) => [
      ...(one !== undefined ? [one] : []),
      ...(many ?? []),
    ];
    const query: Record<string, QueryValue> = {
      cmdlets: list(filter.action, filter.actions),
      objectIds: list(filter.target, filter.targets),
      userIds: list(filter.actor, filter.actors),
      parameters: filter.parameters,
      result: filter.result,
      startDate: filter.from !== undefined ? new Date(filter.from).toISOString() : undefined,
      endDate: filter.to !== undefined ? new Date(filter.to).toISOString() : undefined,
    };
    let cursor: string | null = filter.afterSeq !== undefined ? auditCursor(filter.afterSeq) : null;
    if (limit === 0) {
      // one request all the same: a caller without audit:read is refused, as in-process
      await get('/audit', { ...query, cursor, limit: 1 });
      return [];
    }
    const found: AuditEntry[] = [];
    do {
      const page: Page<AuditEntry> = await get<Page<AuditEntry>>('/audit', {
        ...query,
        cursor,
        limit: clamp(need - found.length, 1, pageSize),
      });
      found.push(...page.items);
      cursor = page.next;
    } while (cursor && found.length < need);
    // the entries come without their chain hash: the API does not show it
    return found.slice(need - limit, need);
  }

  const ops: ShellOperations = {
    // PINs and UM mailboxes
    setUMMailboxPIN,
    getUMMailboxPIN: (identity) => get<UMMailboxPINView>(`/um-mailboxes/${segment(identity)}/pin`),
    listUMMailboxPINs: async (resultSize = 1000) => {
      // as the service does it, page after page
      const out: UMMailboxPINView[] = [];
      let cursor: string | null = null;
      do {
        const page: UMMailboxPINPage = await pageUMMailboxPINs({
          cursor,
          limit: Math.min(500, resultSize - out.length),
        });
        out.push(...page.items);
        cursor = page.next;
      } while (cursor && out.length < resultSize);
      return out.slice(0, resultSize);
    },
    pageUMMailboxPINs,
    enableUMMailbox: (input) => send<EnableUMMailboxResult>('POST', '/um-mailboxes', input),
    disableUMMailbox: async (identity, options) => {
      await api.request<undefined>('DELETE', `/um-mailboxes/${segment(identity)}`, {
        query: { keepProperties: options?.keepProperties },
      });
    },
    setUMMailbox: (identity, changes) => send<UMMailboxView>('PATCH', `/um-mailboxes/${segment(identity)}`, changes),
    getUMMailbox: (identity) => get<UMMailboxView>(`/um-mailboxes/${segment(identity)}`),
    // the filter and sort go to the server as given: its service evaluates them in one store query per page
    listUMMailboxes: (q) =>
      get<Page<UMMailboxListItem>>('/um-mailboxes', {
        identity: q.identity,
        search: q.search,
        umMailboxPolicy: q.umMailboxPolicy,
        policyId: q.policyId,
        filter: q.filter,
        sortBy: q.sortBy,
        cursor: q.cursor,
        limit: clamp(q.limit, 1, pageSize),
      }),
    // dial plans, policies, recipients, audit
    newDialPlan: (input) => send<NewDialPlanResult>('POST', '/dial-plans', input),
    setDialPlan: (identity, changes) => send<DialPlan>('PATCH', `/dial-plans/${segment(identity)}`, changes),
    removeDialPlan: (identity) => remove(`/dial-plans/${segment(identity)}`),
    getDialPlans: (identity) => all<DialPlan>('/dial-plans', { identity }),
    newMailboxPolicy: (input) => send<MailboxPolicy>('POST', '/um-mailbox-policies', input),
    setMailboxPolicy: (identity, changes) =>
      send<MailboxPolicy>('PATCH', `/um-mailbox-policies/${segment(identity)}`, changes),
    removeMailboxPolicy: (identity) => remove(`/um-mailbox-policies/${segment(identity)}`),
    getMailboxPolicies: (q = {}) =>
      all<MailboxPolicy>('/um-mailbox-policies', { identity: q.identity, umDialPlan: q.umDialPlan }),
    newRecipient: (input) => send<Recipient>('POST', '/recipients', input),
    setRecipient: (identity, changes) => send<Recipient>('PATCH', `/recipients/${segment(identity)}`, changes),
    removeRecipient: (identity) => remove(`/recipients/${segment(identity)}`),
    getRecipient: (identity) => get<Recipient>(`/recipients/${segment(identity)}`),
    listRecipients: (q) =>
      get<Page<RecipientListItem>>('/recipients', {
        identity: q.identity,
        search: q.search,
        umEnabled: q.umEnabled,
        policyId: q.policyId,
        filter: q.filter,
        sortBy: q.sortBy,
        cursor: q.cursor,
        limit: clamp(q.limit, 1, pageSize),
      }),
    searchAuditLog,
  };
  return ops;
}
