/** Who is calling a service: every service takes the actor first, checks it, and names it in the audit log. */

export const ROLE_GROUPS = [
  'OrganizationManagement',
  'UMManagement',
  'HelpDesk',
  'ViewOnlyOrganizationManagement',
  'VoiceGateway',
] as const;
export type RoleGroup = (typeof ROLE_GROUPS)[number];

export interface Actor {
  /** admin: a signed-in administrator or an API token; user: an end user acting on their own mailbox; system: umpin itself (demo seeding, timers) */
  kind: 'admin' | 'user' | 'system';
  /** How the audit log names the actor, e.g. "local:root", "admin:alice", "token:helpdesk-tool", "user:tonysmith@contoso.com". */
  name: string;
  roles: readonly RoleGroup[];
  /** Dial plan ids the role assignment is scoped to; undefined = the whole organisation. */
  dialPlanScope?: readonly string[];
  /** For kind "user": the recipient the user is. */
  recipientId?: string;
  /** Where the request came from: an IP address, "shell", "sip:<caller>". */
  source?: string | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ kind: 'system', name: 'system', roles: [], source: null });

/** The local command line works on the data directory directly: whoever can read the key file is the organisation's administrator. */
export function localAdministrator(osUser: string): Actor {
  return { kind: 'admin', name: `local:${osUser}`, roles: ['OrganizationManagement'], source: 'cli' };
}

/** An end user signed in to the self-service page: acts on their own mailbox only (Exchange's MyVoiceMail role). */
export function endUser(recipient: { id: string; primarySmtpAddress: string }, source: string | null): Actor {
  return { kind: 'user', name: `user:${recipient.primarySmtpAddress}`, roles: [], recipientId: recipient.id, source };
}

/** Someone not signed in, named in the audit log by source address alone (a sign-in attempt, a code request). */
export function anonymous(source: string | null): Actor {
  return { kind: 'user', name: 'anonymous', roles: [], source };
}
