/**
 * The shell's two implementations of ShellOperations — in-process (the services called
 * directly) and remote (the same services behind the REST API, on a real server on
 * loopback) — are one contract: the same inputs, on two copies of the same organisation,
 * give the same results and the same errors (code and field), failures included. Every
 * member has cases here; a member without any fails this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor } from '../src/domain/cursor.js';
import { UmpinError } from '../src/domain/errors.js';
import type { RoleGroup } from '../src/services/actor.js';
import { localOperations, type ShellOperations } from '../src/shell/operations.js';
import { ADMIN } from './fixtures.js';
import { ENGINES } from './harness.js';
import { demoShell, type ShellFixture } from './shell-harness.js';

/** `fails`: the error code the case ends with on both sides (default: it succeeds), so agreement is never two unexpected failures */
type Case = { name: string; call: (ops: ShellOperations) => Promise<unknown>; fails?: string };
const one = (name: string, call: Case['call'], fails?: string): Case => ({ name, call, ...(fails ? { fails } : {}) });

const POLICY = 'Contoso Default Policy';
const eum = (extension: string) => `eum:${extension};phone-context=Contoso.contoso.com`;

/**
 * Cases per member, run in this order on both sides (later ones see what earlier ones
 * changed). The type requires every member; so does the first test, at run time.
 */
const CASES: { readonly [K in keyof ShellOperations]: Case[] } = {
  newRecipient: [
    one('a new recipient', (o) => o.newRecipient({ primarySmtpAddress: 'patdoe@contoso.com', displayName: 'Pat Doe' })),
    one(
      'an address in use',
      (o) => o.newRecipient({ primarySmtpAddress: 'tonysmith@contoso.com' }),
      'UMPIN_RECIPIENT_ADDRESS_IN_USE',
    ),
    one('a bad address', (o) => o.newRecipient({ primarySmtpAddress: 'not an address' }), 'UMPIN_VALUE_INVALID'),
  ],
  getRecipient: [
    one('by alias', (o) => o.getRecipient('kimakers')),
    one('unknown identity', (o) => o.getRecipient('nobody@contoso.com'), 'UMPIN_IDENTITY_NOT_FOUND'),
  ],
  setRecipient: [
    one('display name and language', (o) =>
      o.setRecipient('patdoe', { displayName: 'Pat Doe (Sales)', languages: ['fr-FR', 'en-US'] }),
    ),
    one('an EUM address added', (o) => o.setRecipient('kimakers', { emailAddresses: { add: [eum('10298')] } })),
    one(
      'an EUM address in use',
      (o) => o.setRecipient('kimakers', { emailAddresses: { add: [eum('10231')] } }),
      'UMPIN_EXTENSION_IN_USE',
    ),
    one(
      'an EUM address of a recipient without UM',
      (o) => o.setRecipient('patdoe', { emailAddresses: { add: [eum('10400')] } }),
      'UMPIN_MAILBOX_NOT_UM_ENABLED',
    ),
    one('unknown identity', (o) => o.setRecipient('nobody', { displayName: 'x' }), 'UMPIN_IDENTITY_NOT_FOUND'),
  ],
  listRecipients: [
    one('a page by prefix', (o) => o.listRecipients({ search: 'k', limit: 3 })),
    one('a bad cursor', (o) => o.listRecipients({ cursor: 'not-a-cursor', limit: 3 }), 'UMPIN_VALUE_INVALID'),
  ],
  enableUMMailbox: [
    one(
      'a refused PIN',
      (o) => o.enableUMMailbox({ identity: 'patdoe', umMailboxPolicy: POLICY, extensions: ['10400'], pin: '1111' }),
      'UMPIN_PIN_TOO_SHORT',
    ),
    one('with a typed PIN', (o) =>
      o.enableUMMailbox({
        identity: 'patdoe',
        umMailboxPolicy: POLICY,
        extensions: ['10400'],
        pin: '5820913',
        pinExpired: false,
      }),
    ),
    one(
      'already enabled',
      (o) => o.enableUMMailbox({ identity: 'patdoe', umMailboxPolicy: POLICY, extensions: ['10401'] }),
      'UMPIN_MAILBOX_ALREADY_UM_ENABLED',
    ),
    one(
      'an unknown recipient',
      (o) => o.enableUMMailbox({ identity: 'nobody', umMailboxPolicy: POLICY, extensions: ['10401'], pin: '1111' }),
      'UMPIN_IDENTITY_NOT_FOUND',
    ),
  ],
  getUMMailbox: [
    one('enabled', (o) => o.getUMMailbox('patdoe')),
    one('unknown identity', (o) => o.getUMMailbox('nobody'), 'UMPIN_IDENTITY_NOT_FOUND'),
  ],
  setUMMailbox: [
    one('extensions added and removed in one edit', (o) =>
      o.setUMMailbox('patdoe', { extensions: { add: ['10402', '10403'], remove: ['10403'] } }),
    ),
    one('a replacing list and a SIP address', (o) =>
      o.setUMMailbox('patdoe', { extensions: ['10400', '10404'], sipResourceIdentifier: 'patdoe@contoso.com' }),
    ),
    one(
      'an extension in use',
      (o) => o.setUMMailbox('patdoe', { extensions: { add: ['10232'] } }),
      'UMPIN_EXTENSION_IN_USE',
    ),
    one(
      'an extension of the wrong length',
      (o) => o.setUMMailbox('patdoe', { extensions: { add: ['104'] } }),
      'UMPIN_EXTENSION_INVALID',
    ),
  ],
  listUMMailboxes: [
    one('a page by prefix', (o) => o.listUMMailboxes({ search: 'p', limit: 5 })),
    one(
      'of no such policy',
      (o) => o.listUMMailboxes({ umMailboxPolicy: 'Nowhere', limit: 5 }),
      'UMPIN_IDENTITY_NOT_FOUND',
    ),
    one('a bad cursor', (o) => o.listUMMailboxes({ cursor: 'not-a-cursor', limit: 5 }), 'UMPIN_VALUE_INVALID'),
  ],
  setUMMailboxPIN: [
    one('lock only', (o) => o.setUMMailboxPIN({ identity: 'patdoe', lockedOut: true, pinExpired: false })),
    one('unlock only', (o) => o.setUMMailboxPIN({ identity: 'patdoe', lockedOut: false })),
    one('a typed PIN kept locked', (o) =>
      o.setUMMailboxPIN({ identity: 'patdoe', pin: '7305918', lockedOut: true, sendEmail: false }),
    ),
    one('a generated PIN mailed elsewhere', (o) =>
      o.setUMMailboxPIN({ identity: 'patdoe', notifyEmail: 'helpdesk@contoso.com' }),
    ),
    one('what if', (o) => o.setUMMailboxPIN({ identity: 'kimakers', pin: '6619283', whatIf: true })),
    one('a bad PIN', (o) => o.setUMMailboxPIN({ identity: 'kimakers', pin: '1234' }), 'UMPIN_PIN_TOO_SHORT'),
    one(
      'a PIN that is not digits',
      (o) => o.setUMMailboxPIN({ identity: 'kimakers', pin: '12ab5678' }),
      'UMPIN_PIN_NOT_DIGITS',
    ),
    one(
      'a bad NotifyEmail',
      (o) => o.setUMMailboxPIN({ identity: 'kimakers', lockedOut: false, notifyEmail: 'not-an-address' }),
      'UMPIN_VALUE_INVALID',
    ),
    one(
      'unknown identity',
      (o) => o.setUMMailboxPIN({ identity: 'nobody', lockedOut: true }),
      'UMPIN_IDENTITY_NOT_FOUND',
    ),
    one('a blank identity', (o) => o.setUMMailboxPIN({ identity: ' ' }), 'UMPIN_VALUE_REQUIRED'),
  ],
  getUMMailboxPIN: [
    one('status', (o) => o.getUMMailboxPIN('patdoe')),
    one('unknown identity', (o) => o.getUMMailboxPIN('nobody'), 'UMPIN_IDENTITY_NOT_FOUND'),
  ],
  listUMMailboxPINs: [one('a few', (o) => o.listUMMailboxPINs(4))],
  pageUMMailboxPINs: [
    one('a page', (o) => o.pageUMMailboxPINs({ limit: 3 })),
    one('a bad cursor', (o) => o.pageUMMailboxPINs({ cursor: 'not-a-cursor', limit: 3 }), 'UMPIN_VALUE_INVALID'),
  ],
  disableUMMailbox: [
    one('enabled', (o) => o.disableUMMailbox('patdoe')),
    one('its kept properties restored', (o) => o.enableUMMailbox({ identity: 'patdoe', umMailboxPolicy: POLICY })),
    one('keeping nothing', (o) => o.disableUMMailbox('patdoe', { keepProperties: false })),
    one(
      'nothing kept to restore',
      (o) => o.enableUMMailbox({ identity: 'patdoe', umMailboxPolicy: POLICY }),
      'UMPIN_EXTENSION_REQUIRED',
    ),
    one('not enabled', (o) => o.disableUMMailbox('patdoe'), 'UMPIN_MAILBOX_NOT_UM_ENABLED'),
  ],
  removeRecipient: [
    one('a recipient', (o) => o.removeRecipient('patdoe')),
    one('unknown identity', (o) => o.removeRecipient('patdoe'), 'UMPIN_IDENTITY_NOT_FOUND'),
  ],
  newDialPlan: [
    one('with its default policy', (o) =>
      o.newDialPlan({
        name: 'Fabrikam',
        numberOfDigitsInExtension: 4,
        countryOrRegionCode: '44',
        voiceAccessNumbers: ['+442071234567'],
      }),
    ),
    one('a name in use', (o) => o.newDialPlan({ name: 'fabrikam', numberOfDigitsInExtension: 4 }), 'UMPIN_NAME_IN_USE'),
    one(
      'too many digits',
      (o) => o.newDialPlan({ name: 'Tailspin', numberOfDigitsInExtension: 21 }),
      'UMPIN_VALUE_OUT_OF_RANGE',
    ),
  ],
  setDialPlan: [
    one('an access number added', (o) =>
      o.setDialPlan('Fabrikam', { voiceAccessNumbers: { add: ['+442071234568'] }, logonFailuresBeforeDisconnect: 5 }),
    ),
    one('an access number added and removed', (o) =>
      o.setDialPlan('Fabrikam', {
        voiceAccessNumbers: { add: ['+442071234569'], remove: ['+442071234569', '+442071234567'] },
      }),
    ),
    one(
      'a bad access number',
      (o) => o.setDialPlan('Fabrikam', { voiceAccessNumbers: { add: ['12'] } }),
      'UMPIN_VALUE_INVALID',
    ),
    one(
      'unknown identity',
      (o) => o.setDialPlan('Nowhere', { logonFailuresBeforeDisconnect: 5 }),
      'UMPIN_IDENTITY_NOT_FOUND',
    ),
  ],
  getDialPlans: [
    one('all', (o) => o.getDialPlans()),
    one('by identity', (o) => o.getDialPlans('fabrikam')),
    one('unknown identity', (o) => o.getDialPlans('Nowhere'), 'UMPIN_IDENTITY_NOT_FOUND'),
  ],
  newMailboxPolicy: [
    one('in a dial plan', (o) =>
      o.newMailboxPolicy({ name: 'Fabrikam Executives', umDialPlan: 'Fabrikam', minPinLength: 8 }),
    ),
    one(
      'in no such dial plan',
      (o) => o.newMailboxPolicy({ name: 'Stray', umDialPlan: 'Nowhere' }),
      'UMPIN_IDENTITY_NOT_FOUND',
    ),
    one(
      'a bad setting',
      (o) => o.newMailboxPolicy({ name: 'Short', umDialPlan: 'Fabrikam', minPinLength: 2 }),
      'UMPIN_VALUE_OUT_OF_RANGE',
    ),
  ],
  setMailboxPolicy: [
    one('a setting', (o) =>
      o.setMailboxPolicy('Fabrikam Executives', { pinLifetimeDays: null, resetPinText: 'Call 4357.' }),
    ),
    one('unknown identity', (o) => o.setMailboxPolicy('Nowhere', { minPinLength: 7 }), 'UMPIN_IDENTITY_NOT_FOUND'),
  ],
  getMailboxPolicies: [
    one('all', (o) => o.getMailboxPolicies()),
    one('of a dial plan', (o) => o.getMailboxPolicies({ umDialPlan: 'Fabrikam' })),
    one('by identity in its dial plan', (o) => o.getMailboxPolicies({ identity: POLICY, umDialPlan: 'Contoso' })),
    one('by identity in another dial plan', (o) => o.getMailboxPolicies({ identity: POLICY, umDialPlan: 'Fabrikam' })),
    one(
      'by identity in no such dial plan',
      (o) => o.getMailboxPolicies({ identity: POLICY, umDialPlan: 'Nowhere' }),
      'UMPIN_IDENTITY_NOT_FOUND',
    ),
    one('unknown identity', (o) => o.getMailboxPolicies({ identity: 'Nowhere' }), 'UMPIN_IDENTITY_NOT_FOUND'),
  ],
  removeMailboxPolicy: [
    one('unused', (o) => o.removeMailboxPolicy('Fabrikam Executives')),
    one('in use', (o) => o.removeMailboxPolicy(POLICY), 'UMPIN_POLICY_IN_USE'),
  ],
  removeDialPlan: [
    one('with a policy', (o) => o.removeDialPlan('Fabrikam'), 'UMPIN_DIAL_PLAN_IN_USE'),
    one('unknown identity', (o) => o.removeDialPlan('Nowhere'), 'UMPIN_IDENTITY_NOT_FOUND'),
  ],
  searchAuditLog: [
    one('a cmdlet', (o) => o.searchAuditLog({ action: 'Set-UMMailboxPIN' })),
    one('failures, from an index', (o) => o.searchAuditLog({ result: 'failure', offset: 2, limit: 5 })),
    one('after a sequence number', (o) => o.searchAuditLog({ afterSeq: 5, limit: 4 })),
  ],
};

/** Cases a role without the permission is refused, with the same code both ways. */
const DENIED: Case[] = [
  one('a PIN reset', (o) => o.setUMMailboxPIN({ identity: 'tonysmith' })),
  one('an unlock', (o) => o.setUMMailboxPIN({ identity: 'tonysmith', lockedOut: false })),
  one('an extension edit', (o) => o.setUMMailbox('tonysmith', { extensions: { add: ['10299'] } })),
  one('an access number edit', (o) => o.setDialPlan('Contoso', { voiceAccessNumbers: { add: ['+14255550111'] } })),
  one('an address edit', (o) => o.setRecipient('tonysmith', { emailAddresses: { add: [eum('10299')] } })),
  one('a new dial plan', (o) => o.newDialPlan({ name: 'Fabrikam', numberOfDigitsInExtension: 4 })),
  // what the role may do still works
  one('a read', (o) => o.getUMMailboxPIN('tonysmith')),
  one('the audit log', (o) => o.searchAuditLog({ limit: 3 })),
];

/** What may differ between two copies of one organisation: GUIDs (in cursors too), the clock, the audit chain's hash and place the API does not show, the caller's address. */
function comparable(v: unknown): unknown {
  if (typeof v === 'string')
    return v.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<guid>');
  if (Array.isArray(v)) return v.map(comparable);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !['hash', 'chain', 'position', 'source'].includes(k))
        .map(([k, x]) => [
          k,
          /At$|^at$|^seq$/.test(k) && typeof x === 'number'
            ? '<n>'
            : k === 'next' && typeof x === 'string'
              ? comparable(decodeCursor(x, 2))
              : comparable(x),
        ]),
    );
  }
  return v;
}

type Outcome = { result: unknown } | { error: { code: string; field: string | undefined } };

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { result: comparable((await call()) ?? null) };
  } catch (err) {
    if (!(err instanceof UmpinError)) throw err;
    return { error: { code: err.code, field: err.field } };
  }
}

/** Both sides, one after the other on their own copy: in-process first, then remote. */
async function sides(
  role: RoleGroup | undefined,
  engine: (typeof ENGINES)[number],
): Promise<[ShellFixture, ShellFixture]> {
  const opts = role ? { as: { role } } : { as: { role: 'OrganizationManagement' as const } };
  return [await demoShell(engine, 'in-process', opts), await demoShell(engine, 'remote', opts)];
}

describe('the contract table', () => {
  it('has cases for every shell operation, and none for an operation that is gone', async () => {
    const members = Object.keys(localOperations({} as never, ADMIN)).sort();
    expect(Object.keys(CASES).sort()).toEqual(members);
    for (const [name, cases] of Object.entries(CASES)) expect(cases.length, name).toBeGreaterThan(0);
  });
});

for (const engine of ENGINES) {
  describe(`in-process and remote shell operations agree (${engine})`, () => {
    let local: ShellFixture;
    let remote: ShellFixture;
    beforeAll(async () => {
      [local, remote] = await sides(undefined, engine);
    }, 120_000);
    afterAll(async () => {
      await local?.close();
      await remote?.close();
    });

    // in the table's order: a member's cases see what the ones before changed, on both sides alike
    for (const [member, cases] of Object.entries(CASES) as Array<[keyof ShellOperations, Case[]]>) {
      for (const c of cases) {
        it(`${member}: ${c.name}`, async () => {
          const mine = await outcome(() => c.call(local.ops));
          // the case does what it is meant to in-process, or the agreement would prove little
          if (c.fails) expect(mine).toMatchObject({ error: { code: c.fails } });
          else expect(mine).toHaveProperty('result');
          const theirs = await outcome(() => c.call(remote.ops));
          expect(theirs).toEqual(mine);
        });
      }
    }

    it('and both copies end the same', async () => {
      const state = async (f: ShellFixture) =>
        comparable({
          plans: await f.ops.getDialPlans(),
          policies: await f.ops.getMailboxPolicies(),
          pins: await f.ops.listUMMailboxPINs(),
          kim: await f.ops.getUMMailbox('kimakers'),
        });
      expect(await state(remote)).toEqual(await state(local));
    });
  });

  describe(`a View-Only caller is refused the same way in-process and remote (${engine})`, () => {
    let local: ShellFixture;
    let remote: ShellFixture;
    beforeAll(async () => {
      [local, remote] = await sides('ViewOnlyOrganizationManagement', engine);
    }, 120_000);
    afterAll(async () => {
      await local?.close();
      await remote?.close();
    });

    for (const c of DENIED) {
      it(c.name, async () => {
        const mine = await outcome(() => c.call(local.ops));
        expect(await outcome(() => c.call(remote.ops))).toEqual(mine);
        if (DENIED.indexOf(c) < DENIED.length - 2)
          expect(mine).toEqual({ error: { code: 'UMPIN_ACCESS_DENIED', field: undefined } });
      });
    }
  });
}
