/**
 * The authorization matrix, generated from the route table: every route is called by every
 * role group, by nobody, and by an end user signed in with a mailed code (with the session
 * cookie and its CSRF token), and gets exactly the answer its declared permission and
 * ROLE_PERMISSIONS say — the operation's success status when allowed, 403 when denied (401
 * for anonymous). The user is none of the users the cases act on, so every case that names
 * a mailbox is a user acting on another user's. Each route has a case below with inputs that
 * succeed, so "allowed" is a real success, not merely "not refused". A route Fastify serves
 * under /api/v1 that is not in the table, or has no case here, fails this file. Every route
 * is also called by tokens scoped to another dial plan, with the same case (which acts on
 * objects outside it): lists hold only its dial plan's items, objects answer 404 as missing
 * ones, organisation-wide writes 403 naming no object, and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRoute } from '../src/http/api-route.js';
import { apiRoute } from '../src/http/api-route.js';
import { buildApp } from '../src/http/app.js';
import { API_ROUTES } from '../src/http/routes/api-routes.js';
import { ROLE_GROUPS, type RoleGroup } from '../src/services/actor.js';
import { addAdminAccount } from '../src/services/admin-accounts.js';
import { newApiToken } from '../src/services/api-tokens.js';
import { newDialPlan } from '../src/services/dial-plans.js';
import { MailDelivery } from '../src/services/mail-delivery.js';
import { getMailboxPolicies, newMailboxPolicy } from '../src/services/mailbox-policies.js';
import { ROLE_PERMISSIONS, type Permission } from '../src/services/permissions.js';
import { newRecipient } from '../src/services/recipients.js';
import { setUMMailboxPIN } from '../src/services/set-um-mailbox-pin.js';
import { enableUMMailbox } from '../src/services/um-mailboxes.js';
import { requestSignInCode } from '../src/services/sign-in-codes.js';
import {
  apiContext,
  call,
  pathOf,
  sessionCookieSet,
  signInAsUser,
  tokenFor,
  type ApiContext,
  type BrowserSession,
} from './api-client.js';
import { DeliveredMail } from './delivered-mail.js';
import { ADMIN } from './fixtures.js';
import { ENGINES } from './harness.js';
import { z } from 'zod';

const POLICY = 'Contoso Default Policy';
const PASSWORD = 'correct horse battery staple';

interface Request {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  /** the status an allowed caller gets */
  status: number;
  /** the permission the service decides this input needs, where the route admits more callers and leaves the choice to it */
  permission?: Permission;
}

/** The token of a new PIN link: a mailbox enabled under a PINDelivery Link policy, from its welcome mail. */
async function pinLinkToken({ t }: ApiContext, n: number): Promise<string> {
  if ((await getMailboxPolicies(t.deps, ADMIN, { identity: 'Links' }).catch(() => [])).length === 0)
    await newMailboxPolicy(t.deps, ADMIN, { name: 'Links', umDialPlan: 'Contoso', pinDelivery: 'Link' });
  const r = await newRecipient(t.deps, ADMIN, { primarySmtpAddress: `link${n}@contoso.com` });
  await enableUMMailbox(t.deps, ADMIN, {
    identity: `link${n}@contoso.com`,
    umMailboxPolicy: 'Links',
    extensions: [String(45000 + n)],
  });
  const mail = (await t.deps.store.listOutbox({ recipientId: r.id })).find((m) => m.kind === 'welcome')!;
  const { pinLink } = JSON.parse(t.deps.cipher.open(mail.sealedPayload!, mail.id)) as { pinLink: string };
  return pinLink.split('/me/pin/')[1]!;
}

/** One case per operation: prepares what the call needs (n is unique per call) and says what success looks like. */
const CASES: Record<string, (ctx: ApiContext, n: number) => Promise<Request>> = {
  listDialPlans: async () => ({ status: 200 }),
  getDialPlan: async () => ({ params: { identity: 'Contoso' }, status: 200 }),
  newDialPlan: async (_c, n) => ({ body: { name: `Plan ${n}`, numberOfDigitsInExtension: 4 }, status: 201 }),
  setDialPlan: async () => ({
    params: { identity: 'Contoso' },
    body: { logonFailuresBeforeDisconnect: 3 },
    status: 200,
  }),
  removeDialPlan: async ({ t }, n) => {
    await newDialPlan(t.deps, ADMIN, {
      name: `Gone ${n}`,
      numberOfDigitsInExtension: 4,
      generateUMMailboxPolicy: false,
    });
    return { params: { identity: `Gone ${n}` }, status: 204 };
  },
  listMailboxPolicies: async () => ({ query: 'umDialPlan=Contoso', status: 200 }),
  getMailboxPolicy: async () => ({ params: { identity: POLICY }, status: 200 }),
  newMailboxPolicy: async (_c, n) => ({
    body: { name: `Policy ${n}`, umDialPlan: 'Contoso', minPinLength: 8 },
    status: 201,
  }),
  setMailboxPolicy: async () => ({ params: { identity: POLICY }, body: { pinLifetimeDays: 60 }, status: 200 }),
  removeMailboxPolicy: async ({ t }, n) => {
    await newMailboxPolicy(t.deps, ADMIN, { name: `Gone policy ${n}`, umDialPlan: 'Contoso' });
    return { params: { identity: `Gone policy ${n}` }, status: 204 };
  },
  listRecipients: async () => ({ query: 'search=tony', status: 200 }),
  getRecipient: async () => ({ params: { identity: 'tonysmith@contoso.com' }, status: 200 }),
  newRecipient: async (_c, n) => ({ body: { primarySmtpAddress: `new${n}@contoso.com` }, status: 201 }),
  setRecipient: async () => ({ params: { identity: 'tonysmith' }, body: { displayName: 'Tony Smith' }, status: 200 }),
  removeRecipient: async ({ t }, n) => {
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: `gone${n}@contoso.com` });
    return { params: { identity: `gone${n}@contoso.com` }, status: 204 };
  },
  listUMMailboxes: async () => ({ status: 200 }),
  getUMMailbox: async () => ({ params: { identity: 'tonysmith' }, status: 200 }),
  getKeptUMProperties: async () => ({ params: { identity: 'tonysmith' }, status: 200 }),
  enableUMMailbox: async ({ t }, n) => {
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: `enable${n}@contoso.com` });
    return {
      body: { identity: `enable${n}@contoso.com`, umMailboxPolicy: POLICY, extensions: [String(20000 + n)] },
      status: 201,
    };
  },
  setUMMailbox: async () => ({
    params: { identity: 'tonysmith' },
    body: { sipResourceIdentifier: 'tonysmith@contoso.com' },
    status: 200,
  }),
  disableUMMailbox: async ({ t }, n) => {
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: `disable${n}@contoso.com` });
    await enableUMMailbox(t.deps, ADMIN, {
      identity: `disable${n}@contoso.com`,
      umMailboxPolicy: POLICY,
      extensions: [String(30000 + n)],
    });
    return { params: { identity: `disable${n}@contoso.com` }, status: 204 };
  },
  getUMMailboxPIN: async () => ({ params: { identity: 'tonysmith' }, status: 200 }),
  listUMMailboxPINs: async () => ({ query: 'limit=10', status: 200 }),
  // one route, three parameter sets; the matrix calls the typed one (a different PIN each time: the history refuses a recent one)
  setUMMailboxPIN: async (_c, n) => ({
    params: { identity: 'tonysmith' },
    body: { pin: `8${String(n).padStart(3, '0')}5927`, sendEmail: false },
    status: 200,
    permission: 'pin:reset',
  }),
  setUMMailboxPINs: async () => ({
    body: { identities: ['kimakers', 'davidpelton'], sendEmail: false },
    status: 200,
    permission: 'pin:reset',
  }),
  testUMMailboxPIN: async () => ({ params: { identity: 'tonysmith' }, body: { pin: '5820913' }, status: 200 }),
  testUMMailboxPolicyPIN: async () => ({
    params: { identity: POLICY },
    body: { pin: '5820913', extensions: ['10500'] },
    status: 200,
  }),
  searchAdminAuditLog: async () => ({ query: 'cmdlets=Set-UMMailboxPIN,New-UMDialPlan&limit=5', status: 200 }),
  listDeadLetters: async () => ({ status: 200 }),
  getMailQueue: async () => ({ status: 200 }),
  retryDeadLetter: async ({ t }) => {
    // a mail for the mailbox, given up on by a sender
    await setUMMailboxPIN(t.deps, ADMIN, { identity: 'kimakers' });
    const sender = new MailDelivery(t.deps, 'matrix');
    const [mail] = (await sender.claim(1)).messages;
    await sender.failed(mail!, { message: '550 mailbox unavailable', code: '550', permanent: true });
    return { params: { id: mail!.id }, status: 204 };
  },
  listApiTokens: async () => ({ status: 200 }),
  newApiToken: async (_c, n) => ({ body: { name: `made-${n}`, role: 'HelpDesk' }, status: 201 }),
  revokeApiToken: async ({ t }, n) => {
    await newApiToken(t.deps, ADMIN, { name: `revoke-${n}`, role: 'HelpDesk' });
    return { params: { name: `revoke-${n}` }, status: 204 };
  },
  listAdminAccounts: async () => ({ status: 200 }),
  addAdminAccount: async (_c, n) => ({
    body: { name: `admin${n}`, password: PASSWORD, role: 'HelpDesk' },
    status: 201,
  }),
  resetAdminPassword: async ({ t }, n) => {
    await addAdminAccount(t.deps, ADMIN, { name: `reset${n}`, password: PASSWORD, role: 'HelpDesk' });
    return { params: { name: `reset${n}` }, body: { password: `${PASSWORD} again` }, status: 204 };
  },
  signIn: async () => ({ body: { name: 'matrix', password: PASSWORD }, status: 200 }),
  whoAmI: async () => ({ status: 200 }),
  signOut: async () => ({ status: 204 }),
  getSetupState: async () => ({ status: 200 }),
  // accounts exist: setup is over (409), whoever asks
  completeSetup: async () => ({ body: { token: 'A'.repeat(43), name: 'first', password: PASSWORD }, status: 409 }),
  verifyVoiceLogon: async () => ({
    body: { extension: '10231', callerId: '+14255550199', pin: '73019468' },
    status: 200,
  }),
  changeVoicePin: async () => ({
    body: {
      extension: '10232',
      callerId: '+14255550198',
      oldPin: '50813627',
      newPin: '50813628',
      confirmPin: '50813628',
    },
    status: 200,
  }),
  requestSignInCode: async () => ({ body: { identity: 'tonysmith@contoso.com' }, status: 202 }),
  // a mailbox of its own each time, with a code mailed to it
  signInWithCode: async ({ t }, n) => {
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: `code${n}@contoso.com` });
    await enableUMMailbox(t.deps, ADMIN, {
      identity: `code${n}@contoso.com`,
      umMailboxPolicy: POLICY,
      extensions: [String(40000 + n)],
    });
    await requestSignInCode(t.deps, { identity: `code${n}@contoso.com`, source: null }, { answerMs: 0 });
    return {
      body: { identity: `code${n}@contoso.com`, code: await mail.latestCode(`code${n}@contoso.com`) },
      status: 200,
    };
  },
  // a link of its own each time: the welcome mail of a mailbox whose policy mails links
  getPinLinkStatus: async (ctx, n) => ({ body: { token: await pinLinkToken(ctx, n) }, status: 200 }),
  showPinLink: async (ctx, n) => ({ body: { token: await pinLinkToken(ctx, n) }, status: 200 }),
  getMyUMMailboxPIN: async () => ({ status: 200 }),
  resetMyUMMailboxPIN: async () => ({ status: 200 }),
  getMyUMMailbox: async () => ({ status: 200 }),
};

/** 'user': an end user signed in to self-service (pattifernandez, whom no case acts on) */
type Caller = RoleGroup | 'anonymous' | 'user';
const CALLERS: Caller[] = ['anonymous', ...ROLE_GROUPS, 'user'];
const USER = 'pattifernandez@contoso.com';

/** What the table says a caller gets: the success status, 401 or 403. */
function expected(route: ApiRoute, who: Caller, success: number, decided?: Permission): number {
  if (route.permission === 'public') return success;
  if (who === 'anonymous') return 401;
  if (route.permission === 'authenticated') return success;
  // the self-service routes are the end user's, and the end user's only
  if (route.permission === 'self') return who === 'user' ? success : 403;
  if (who === 'user') return 403;
  return ROLE_PERMISSIONS[who].includes(route.permission) &&
    (decided === undefined || ROLE_PERMISSIONS[who].includes(decided))
    ? success
    : 403;
}

function urlOf(route: ApiRoute, req: Request): string {
  return pathOf(route.url, req.params) + (req.query ? `?${req.query}` : '');
}

/** Never called: `npm test` type-checks this file, so a route without a permission fails the build. */
// biome-ignore lint/suspicious/noExportsInTest: exported only so that it counts as used; the compiler checks it, nothing calls it
export function routesMustDeclareAPermission(): void {
  // @ts-expect-error permission is required
  apiRoute({
    method: 'GET',
    url: '/api/v1/x',
    operationId: 'x',
    summary: 'x',
    tags: [],
    response: z.object({}),
    handler: async () => ({}),
  });
  apiRoute({
    method: 'GET',
    url: '/api/v1/x',
    operationId: 'x',
    summary: 'x',
    tags: [],
    // @ts-expect-error only the permissions umpin knows, 'public' or 'authenticated'
    permission: 'everything',
    response: z.object({}),
    handler: async () => ({}),
  });
  // @ts-expect-error a route whose caller can be refused names the operation its refusal names
  apiRoute({
    method: 'GET',
    url: '/api/v1/x',
    operationId: 'x',
    summary: 'x',
    tags: [],
    permission: 'audit:read',
    response: z.object({}),
    handler: async () => ({}),
  });
}

describe('the route table', () => {
  it('has a matrix case for every route, and no case for a route that is gone', () => {
    expect(Object.keys(CASES).sort()).toEqual(API_ROUTES.map((r) => r.operationId).sort());
  });

  it('gives every route a unique operationId and a unique method and path', () => {
    expect(new Set(API_ROUTES.map((r) => r.operationId)).size).toBe(API_ROUTES.length);
    expect(new Set(API_ROUTES.map((r) => `${r.method} ${r.url}`)).size).toBe(API_ROUTES.length);
  });
});

/** Callers scoped to the Fabrikam dial plan: one with every administrator's permission, and the Help Desk. */
const SCOPED_CALLERS: RoleGroup[] = ['OrganizationManagement', 'HelpDesk'];

/**
 * What a scoped caller gets from a case (each acts on objects outside its dial plan):
 * 'hidden' — 404 as for a missing object; 'refused' — 403 naming the operation only (the
 * role group lacks the permission, or the operation is organisation-wide); 'list' — 200 with
 * only its dial plan's items; otherwise the status an unscoped caller of the role gets.
 * 'hidden' and 'refused' change nothing.
 */
function scopedOutcome(
  route: ApiRoute,
  role: RoleGroup,
  req: Request,
): 'hidden' | 'refused' | 'list' | { status: number } {
  const unscoped = expected(route, role, req.status, req.permission);
  if (unscoped !== req.status || typeof route.permission !== 'string' || !route.permission.includes(':'))
    return { status: unscoped };
  if (route.operationId in SCOPED_LISTS) return 'list';
  return ORGANIZATION_WIDE.has(route.operationId) ? 'refused' : 'hidden';
}

/** Writes on the organisation as a whole: no dial plan's, so out of every scoped caller's reach. */
const ORGANIZATION_WIDE = new Set([
  'newDialPlan',
  'newRecipient',
  'newApiToken',
  'revokeApiToken',
  'addAdminAccount',
  'resetAdminPassword',
]);

type Json = Record<string, unknown> | null;
const itemsOf = <T>(body: Json) => (body as { items: T[] }).items;

/** Each list a scoped caller reads, and what may be in it: only what is of the Fabrikam dial plan. */
const SCOPED_LISTS: Record<string, (body: Json, ctx: ApiContext) => void | Promise<void>> = {
  listDialPlans: (b) => expect(itemsOf<{ name: string }>(b).map((d) => d.name)).toEqual(['Fabrikam']),
  listRecipients: (b) =>
    // the case searches for "tony", who is of Contoso
    expect(itemsOf(b)).toEqual([]),
  listUMMailboxes: (b) =>
    expect(itemsOf<{ primarySmtpAddress: string }>(b).map((m) => m.primarySmtpAddress)).toEqual(['pilar@fabrikam.com']),
  listUMMailboxPINs: (b) => expect(itemsOf<{ userId: string }>(b).map((p) => p.userId)).toEqual(['pilar@fabrikam.com']),
  searchAdminAuditLog: (b) => {
    const targets = itemsOf<{ target: string | null }>(b).map((e) => e.target);
    expect(targets).toContain('Fabrikam');
    for (const t of targets) expect(['Fabrikam', 'pilar@fabrikam.com']).toContain(t);
  },
  listDeadLetters: (b) => expect(itemsOf(b)).toEqual([]),
  getMailQueue: async (b, ctx) => {
    // only pilar's mails count: at most the welcome mail, if the worker has not sent it yet
    const pilar = (await ctx.t.deps.store.findRecipients('pilar@fabrikam.com'))[0]!.id;
    expect(b).toMatchObject({ deadLetters: 0 });
    expect((b as { queued: number }).queued).toBeLessThanOrEqual(
      (await ctx.t.deps.store.listOutbox({ recipientId: pilar })).length,
    );
  },
  listApiTokens: (b) => {
    const scopes = itemsOf<{ dialPlanScope: string[] | null }>(b).map((t) => t.dialPlanScope);
    expect(scopes.length).toBeGreaterThan(0);
    for (const s of scopes) expect(s).toEqual(['Fabrikam']);
  },
  listAdminAccounts: (b) => expect(itemsOf<{ name: string }>(b).map((a) => a.name)).toEqual(['fabrikam-desk']),
  // each mailbox of another dial plan answers as a missing one (and nothing is reset: the state is compared)
  setUMMailboxPINs: (b) => {
    for (const item of itemsOf<{ ok: boolean; code?: string }>(b))
      expect(item).toMatchObject({ ok: false, code: 'UMPIN_IDENTITY_NOT_FOUND' });
  },
};

const PIN_WATCHED = ['tonysmith', 'kimakers', 'pattifernandez', 'pilar'];

/** What a refused or hidden call must leave as it was (the delivery worker's progress and tokens' last use aside). */
async function stateOf(ctx: ApiContext): Promise<unknown> {
  const s = ctx.t.deps.store;
  const recipients = (await s.listRecipients({ limit: 1000 })).items;
  return {
    dialPlans: await s.listDialPlans(),
    policies: await s.listPolicies(),
    recipients,
    mailboxes: await s.getUmMailboxes(recipients.map((r) => r.id)),
    // the PINs the cases act on (each recipient's would be a query apiece on every call)
    pins: await Promise.all(
      recipients.filter((r) => PIN_WATCHED.includes(r.alias)).map(async (r) => [r.alias, await s.getPin(r.id)]),
    ),
    tokens: (await s.listApiTokens()).map((t) => ({ ...t, lastUsedAt: null })),
    accounts: await s.listAdminAccounts(),
    outbox: (await s.listOutbox({ limit: 100_000 })).map((m) => m.id).sort(),
  };
}

/** The mail of the matrix under way (each engine's in turn), where the cases read their codes. */
let mail: DeliveredMail;

for (const engine of ENGINES) {
  describe(`the authorization matrix (${engine})`, () => {
    let ctx: ApiContext;
    const tokens = new Map<Caller, string | null>();
    const scopedTokens = new Map<RoleGroup, string>();
    let n = 0;
    /** the end user's browser session, signed in again whenever a call ended it (sign-out, another sign-in) */
    let userSession: BrowserSession | null = null;
    const userBrowser = async (): Promise<BrowserSession> => {
      if (!userSession) {
        // a quarter-hour on: the mailbox may have another code (3 in 15 minutes)
        ctx.t.clock.advance(16 * 60_000);
        userSession = await signInAsUser(ctx.app, mail, USER);
      }
      return userSession;
    };

    beforeAll(async () => {
      ctx = await apiContext(engine, {
        users: [
          { alias: 'tonysmith', extension: '10231', pin: '73019468' },
          { alias: 'kimakers', extension: '10232', pin: '50813627' },
          { alias: 'pattifernandez', extension: '10233' },
        ],
        // the matrix signs in many times from one address; the limit has its own test
        rateLimits: { 'sign-in': { max: 1000, windowMs: 60_000 }, 'pin-change': { max: 1000, windowMs: 60_000 } },
      });
      mail = await DeliveredMail.start(ctx.t.deps);
      await addAdminAccount(ctx.t.deps, ADMIN, { name: 'matrix', password: PASSWORD, role: 'HelpDesk' });
      tokens.set('anonymous', null);
      for (const role of ROLE_GROUPS) tokens.set(role, await tokenFor(ctx, role));
      // a second dial plan, the only one the scoped callers reach: every case above acts outside it
      const { deps } = ctx.t;
      const { defaultPolicy } = await newDialPlan(deps, ADMIN, { name: 'Fabrikam', numberOfDigitsInExtension: 4 });
      await newRecipient(deps, ADMIN, { primarySmtpAddress: 'pilar@fabrikam.com' });
      await enableUMMailbox(deps, ADMIN, {
        identity: 'pilar@fabrikam.com',
        umMailboxPolicy: defaultPolicy!.name,
        extensions: ['4001'],
      });
      await setUMMailboxPIN(deps, ADMIN, { identity: 'pilar@fabrikam.com', sendEmail: false });
      await addAdminAccount(deps, ADMIN, {
        name: 'fabrikam-desk',
        password: PASSWORD,
        role: 'HelpDesk',
        scope: ['Fabrikam'],
      });
      for (const role of SCOPED_CALLERS) scopedTokens.set(role, await tokenFor(ctx, role, ['Fabrikam']));
    });
    afterAll(async () => {
      await mail.close();
      await ctx.close();
    });

    for (const route of API_ROUTES) {
      it(`${route.method} ${route.url} (${route.permission})`, async () => {
        const actual: Array<{ who: Caller; status: number; code?: string }> = [];
        const wanted: Array<{ who: Caller; status: number; code?: string }> = [];
        for (const who of CALLERS) {
          const req = await CASES[route.operationId]!(ctx, ++n);
          const session = who === 'user' ? await userBrowser() : null;
          const res = await call(ctx.app, route.method, urlOf(route, req), {
            token: tokens.get(who) ?? null,
            session,
            body: req.body,
          });
          if (session && sessionCookieSet(res)) userSession = null;
          const status = expected(route, who, req.status, req.permission);
          // the code is compared only on refusals, where it is the point
          actual.push({
            who,
            status: res.statusCode,
            ...(res.statusCode >= 400 && status !== req.status ? { code: res.json<{ code: string }>().code } : {}),
          });
          wanted.push({
            who,
            status,
            ...(status === 401
              ? { code: 'UMPIN_AUTH_REQUIRED' }
              : status === 403
                ? { code: 'UMPIN_ACCESS_DENIED' }
                : {}),
          });
        }
        expect(actual).toEqual(wanted);
      });
    }

    it('lets the service decide what each parameter set of Set-UMMailboxPIN needs, and puts a refusal on record', async () => {
      const viewOnly = tokens.get('ViewOnlyOrganizationManagement')!;
      const helpDesk = tokens.get('HelpDesk')!;
      const sets = [
        { lockedOut: true },
        { lockedOut: false },
        { pin: '61829374', sendEmail: false },
        { sendEmail: false },
      ];
      for (const body of sets) {
        const refused = await call(ctx.app, 'POST', '/api/v1/um-mailboxes/kimakers/pin', { token: viewOnly, body });
        expect(refused.statusCode, JSON.stringify(body)).toBe(403);
        expect(refused.json()).toMatchObject({
          code: 'UMPIN_ACCESS_DENIED',
          message: expect.stringContaining('Set-UMMailboxPIN'),
        });
      }
      const audited = await ctx.t.deps.store.listAudit({ action: 'Set-UMMailboxPIN', target: 'kimakers@contoso.com' });
      expect(audited.filter((e) => e.errorCode === 'UMPIN_ACCESS_DENIED')).toHaveLength(sets.length);
      for (const body of sets)
        expect(
          (await call(ctx.app, 'POST', '/api/v1/um-mailboxes/kimakers/pin', { token: helpDesk, body })).statusCode,
          JSON.stringify(body),
        ).toBe(200);
    });

    for (const role of SCOPED_CALLERS) {
      for (const route of API_ROUTES) {
        it(`${route.method} ${route.url} for ${role} scoped to another dial plan: nothing outside it`, async () => {
          const req = await CASES[route.operationId]!(ctx, ++n);
          const before = await stateOf(ctx);
          const res = await call(ctx.app, route.method, urlOf(route, req), {
            token: scopedTokens.get(role)!,
            body: req.body,
          });
          const outcome = scopedOutcome(route, role, req);
          const body = res.body === '' ? null : res.json<Record<string, unknown>>();
          if (outcome === 'hidden') {
            expect({ status: res.statusCode, code: body?.code }).toEqual({
              status: 404,
              code: 'UMPIN_IDENTITY_NOT_FOUND',
            });
          } else if (outcome === 'refused') {
            expect({ status: res.statusCode, code: body?.code }).toEqual({ status: 403, code: 'UMPIN_ACCESS_DENIED' });
            // the refusal names the operation, never an object
            expect(body?.params).not.toHaveProperty('target');
          } else if (outcome === 'list') {
            expect(res.statusCode).toBe(200);
            await SCOPED_LISTS[route.operationId]!(body, ctx);
          } else {
            expect(res.statusCode).toBe(outcome.status);
          }
          // reads, refusals and per-mailbox "not found" alike leave everything as it was
          if (typeof outcome === 'string') expect(await stateOf(ctx)).toEqual(before);
        });
      }
    }

    it('answers a mailbox of another dial plan exactly as a missing one, byte for byte, in both languages', async () => {
      const token = scopedTokens.get('OrganizationManagement')!;
      for (const language of ['en', 'zh-TW']) {
        for (const [method, path, body] of [
          ['GET', '/api/v1/um-mailboxes/{id}/pin', undefined],
          ['GET', '/api/v1/um-mailboxes/{id}', undefined],
          ['GET', '/api/v1/recipients/{id}', undefined],
          ['POST', '/api/v1/um-mailboxes/{id}/pin', { lockedOut: false }],
          ['PATCH', '/api/v1/um-mailboxes/{id}', { extensions: ['10299'] }],
        ] as const) {
          const ask = (identity: string) =>
            call(ctx.app, method, path.replace('{id}', encodeURIComponent(identity)), {
              token,
              body,
              headers: { 'accept-language': language },
            });
          const hidden = await ask('tonysmith@contoso.com');
          const missing = await ask('nobody@contoso.com');
          expect(hidden.statusCode, path).toBe(404);
          expect(hidden.json(), path).toMatchObject({ code: 'UMPIN_IDENTITY_NOT_FOUND' });
          expect(hidden.body.replaceAll('tonysmith', 'nobody'), `${method} ${path} ${language}`).toBe(missing.body);
          expect(hidden.headers['content-language']).toBe(missing.headers['content-language']);
        }
      }
    });

    it("refuses Help Desk an administrator's PIN reset or unlock, one by one or in bulk; UM Management may", async () => {
      const { deps } = ctx.t;
      await newRecipient(deps, ADMIN, { primarySmtpAddress: 'lee@contoso.com' });
      await enableUMMailbox(deps, ADMIN, { identity: 'lee', umMailboxPolicy: POLICY, extensions: ['10299'] });
      await addAdminAccount(deps, ADMIN, { name: 'lee@contoso.com', password: PASSWORD, role: 'UMManagement' });
      const helpDesk = tokens.get('HelpDesk')!;
      const refusal = {
        code: 'UMPIN_TARGET_IS_ADMINISTRATOR',
        params: { actor: expect.stringMatching(/^token:/), target: 'lee@contoso.com' },
      };
      for (const body of [{ sendEmail: false }, { lockedOut: false }, { pin: '61829374', sendEmail: false }]) {
        const res = await call(ctx.app, 'POST', '/api/v1/um-mailboxes/lee/pin', { token: helpDesk, body });
        expect(res.statusCode, JSON.stringify(body)).toBe(403);
        expect(res.json()).toMatchObject(refusal);
      }
      for (const body of [
        { identities: ['lee', 'kimakers'], sendEmail: false },
        { identities: ['lee'], lockedOut: false },
      ]) {
        const res = await call(ctx.app, 'POST', '/api/v1/pins', { token: helpDesk, body });
        expect(res.statusCode).toBe(200);
        expect(res.json<{ items: unknown[] }>().items[0]).toMatchObject({ identity: 'lee', ok: false, ...refusal });
      }
      const um = tokens.get('UMManagement')!;
      const done = await call(ctx.app, 'POST', '/api/v1/um-mailboxes/lee/pin', {
        token: um,
        body: { sendEmail: false },
      });
      expect(done.statusCode).toBe(200);
    });

    it('keeps a dial-plan-scoped token inside its dial plan', async () => {
      const token = await tokenFor(ctx, 'HelpDesk', ['Fabrikam']);
      const get = (url: string) => call(ctx.app, 'GET', url, { token });
      const post = (url: string, body?: unknown) => call(ctx.app, 'POST', url, { token, body });

      // inside: allowed
      expect((await get('/api/v1/um-mailboxes/pilar%40fabrikam.com/pin')).statusCode).toBe(200);
      expect((await post('/api/v1/um-mailboxes/pilar%40fabrikam.com/pin', { sendEmail: false })).statusCode).toBe(200);
      expect((await post('/api/v1/um-mailboxes/pilar%40fabrikam.com/pin', { lockedOut: false })).statusCode).toBe(200);
      // outside: as if absent, though the role allows the operation
      for (const res of [
        await get('/api/v1/um-mailboxes/tonysmith/pin'),
        await get('/api/v1/um-mailboxes/tonysmith'),
        await post('/api/v1/um-mailboxes/tonysmith/pin', { sendEmail: false }),
        await post('/api/v1/um-mailboxes/tonysmith/pin', { lockedOut: true }),
        await call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', {
          token,
          body: { pin: '61829374', sendEmail: false },
        }),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ code: 'UMPIN_IDENTITY_NOT_FOUND' });
      }
      // lists show only its own dial plan
      const mailboxes = (await get('/api/v1/um-mailboxes')).json<{ items: Array<{ umDialPlan: string }> }>();
      expect(mailboxes.items.map((m) => m.umDialPlan)).toEqual(['Fabrikam']);
      const pins = (await get('/api/v1/pins')).json<{ items: Array<{ userId: string }> }>();
      expect(pins.items.map((p) => p.userId)).toEqual(['pilar@fabrikam.com']);
      const plans = (await get('/api/v1/dial-plans')).json<{ items: Array<{ name: string }> }>();
      expect(plans.items.map((p) => p.name)).toEqual(['Fabrikam']);
    });
  });
}

describe('routes outside the table', () => {
  it('every route Fastify serves under /api/v1 is in the table with its permission', async () => {
    const { testContext } = await import('./harness.js');
    const t = await testContext(ENGINES[0]!);
    const app = buildApp(t.deps, { metrics: false });
    const served: Array<{ method: string; url: string; permission: unknown }> = [];
    app.addHook('onRoute', (r) => {
      if (r.url.startsWith('/api/v1/'))
        served.push({ method: String(r.method), url: r.url, permission: r.config?.permission });
    });
    await app.ready();
    const table = API_ROUTES.map((r) => ({ method: r.method, url: r.url, permission: r.permission }));
    const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
    expect(served.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      table.sort((a, b) => key(a).localeCompare(key(b))),
    );
    await app.close();
    await t.close();
  });

  it('an /api/v1 route added without a declared permission stops the app from starting', async () => {
    const { testContext } = await import('./harness.js');
    const t = await testContext(ENGINES[0]!);
    const app = buildApp(t.deps, { metrics: false });
    app.register(async (i) => {
      i.get('/api/v1/rogue', async () => ({ secret: true }));
    });
    await expect(app.ready()).rejects.toThrow(/no declared permission/);
    await t.close();
  });

  it('a table route is served with its declared permission', async () => {
    const { testContext } = await import('./harness.js');
    const t = await testContext(ENGINES[0]!);
    const extra = apiRoute({
      method: 'GET',
      url: '/api/v1/extra',
      operationId: 'extra',
      summary: 'a route for this test',
      tags: ['test'],
      permission: 'audit:read',
      operation: 'Search-AdminAuditLog',
      response: z.object({ ok: z.boolean() }),
      handler: async () => ({ ok: true }),
    });
    const app = buildApp(t.deps, { metrics: false, routes: [...API_ROUTES, extra] });
    const helpDesk = (await newApiToken(t.deps, ADMIN, { name: 'hd', role: 'HelpDesk' })).token;
    const viewer = (await newApiToken(t.deps, ADMIN, { name: 'viewer', role: 'ViewOnlyOrganizationManagement' })).token;
    expect((await call(app, 'GET', '/api/v1/extra', { token: helpDesk })).statusCode).toBe(403);
    expect((await call(app, 'GET', '/api/v1/extra', { token: viewer })).json()).toEqual({ ok: true });
    await app.close();
    await t.close();
  });
});
