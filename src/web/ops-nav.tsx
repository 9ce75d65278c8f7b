/**
 * The operations pages' groups of the left navigation, as the Exchange admin center groups
 * them: Compliance management → Auditing, Mail flow → Delivery, Permissions → Administrators
 * and API tokens. A group shows only when the administrator may read what it leads to.
 */
import { Fragment } from 'preact';
import type { Permission } from './api-types.js';
import { can } from './can.js';
import { t } from './i18n.js';
import type { MessageKey } from './messages/en.js';
import { navigate } from './router.js';

const GROUPS: { group: MessageKey; need: Permission; links: { path: string; label: MessageKey }[] }[] = [
  { group: 'ops.nav.compliance', need: 'audit:read', links: [{ path: '/audit', label: 'ops.nav.auditing' }] },
  { group: 'ops.nav.mailFlow', need: 'outbox:read', links: [{ path: '/mail-delivery', label: 'ops.nav.delivery' }] },
  {
    group: 'ops.nav.permissions',
    need: 'access:read',
    links: [
      { path: '/administrators', label: 'ops.nav.administrators' },
      { path: '/api-tokens', label: 'ops.nav.apiTokens' },
    ],
  },
];

export function OpsNav({ route }: { route: string }) {
  return (
    <>
      {GROUPS.filter((g) => can(g.need)).map((g) => (
        <Fragment key={g.group}>
          <p class="group">{t(g.group)}</p>
          {g.links.map((l) => (
            <a
              key={l.path}
              href={l.path}
              aria-current={route === l.path ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(l.path);
              }}
            >
              {t(l.label)}
            </a>
          ))}
        </Fragment>
      ))}
    </>
  );
}
