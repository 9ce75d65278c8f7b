/**
 * Permissions → Administrators (Organization Management): the accounts that sign in to the
 * admin center with their role groups, New administrator (name, role group, password of 12 or
 * more characters, as the service requires) and Set password. Passwords live in their fields
 * only, which are emptied as soon as they are sent.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import type { AdminAccountView, Page, RoleGroupName } from '../api-types.js';
import { can } from '../can.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { pagedUrl } from '../paged.js';
import { ADMIN_ROLE_GROUPS, ROLE_GROUP_NAMES } from '../role-groups.js';
import { OpsDialog } from './ops-dialog.js';

const PAGE_SIZE = 100;
const passwordUrl = (name: string) => `/api/v1/admin-accounts/${encodeURIComponent(name)}/password`;

export function AdministratorsPage() {
  const [accounts, setAccounts] = useState<AdminAccountView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [settingFor, setSettingFor] = useState<string | null>(null);

  const load = async (cursor: string | null) => {
    try {
      const page = await api<Page<AdminAccountView>>('GET', pagedUrl('/api/v1/admin-accounts', cursor, PAGE_SIZE));
      setAccounts((before) => (cursor && before ? [...before, ...page.items] : page.items));
      setNext(page.next);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  };

  useEffect(() => {
    void load(null);
  }, []);

  const mayWrite = can('access:write');

  return (
    <section aria-labelledby="admins-title">
      <h1 id="admins-title">{t('ops.admins.title')}</h1>
      <p>{t('ops.admins.intro')}</p>
      {mayWrite && (
        <div class="toolbar">
          <button
            type="button"
            class="primary"
            onClick={() => {
              setNotice(null);
              setCreating(true);
            }}
          >
            {t('ops.admins.new')}
          </button>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="notice" role="status">
        {notice}
      </p>
      {accounts && (
        <table class="ops-table" aria-labelledby="admins-title">
          <thead>
            <tr>
              <th scope="col">{t('ops.admins.columns.name')}</th>
              <th scope="col">{t('ops.admins.columns.role')}</th>
              <th scope="col">{t('ops.admins.columns.scope')}</th>
              <th scope="col">{t('ops.admins.columns.createdAt')}</th>
              <th scope="col">{t('ops.admins.columns.status')}</th>
              {mayWrite && <th scope="col">{t('ops.admins.columns.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.name} class="admin-account">
                <td>{a.name}</td>
                <td>{ROLE_GROUP_NAMES[a.role]}</td>
                <td>{a.dialPlanScope ? a.dialPlanScope.join(', ') : t('ops.wholeOrganization')}</td>
                <td>{formatDateTime(a.createdAt)}</td>
                <td>{a.disabled ? t('ops.admins.disabled') : t('ops.admins.enabled')}</td>
                {mayWrite && (
                  <td>
                    <button
                      type="button"
                      aria-label={t('ops.admins.setPasswordOne', { name: a.name })}
                      onClick={() => {
                        setNotice(null);
                        setSettingFor(a.name);
                      }}
                    >
                      {t('ops.admins.setPassword')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" onClick={() => void load(next)}>
          {t('ops.more')}
        </button>
      )}
      {creating && (
        <AccountDialog
          onClose={(name) => {
            setCreating(false);
            if (name) {
              setNotice(t('ops.admins.created', { name }));
              void load(null);
            }
          }}
        />
      )}
      {settingFor && (
        <AccountDialog
          name={settingFor}
          onClose={(name) => {
            setSettingFor(null);
            if (name) setNotice(t('ops.admins.passwordSet', { name }));
          }}
        />
      )}
    </section>
  );
}

/** New administrator, or (given a name) Set password: the same password fields and rules. */
function AccountDialog({ name: existing, onClose }: { name?: string; onClose: (done: string | null) => void }) {
  const [name, setName] = useState(existing ?? '');
  const [role, setRole] = useState<RoleGroupName>('HelpDesk');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const password = useRef<HTMLInputElement>(null);
  const confirm = useRef<HTMLInputElement>(null);
  const titleId = existing ? 'admin-password-title' : 'admin-new-title';

  const save = async (e: Event) => {
    e.preventDefault();
    const value = password.current?.value ?? '';
    if (value !== (confirm.current?.value ?? '')) {
      setError(t('ops.admins.mismatch'));
      confirm.current?.focus();
      return;
    }
    // the password leaves the page's fields as soon as it is on its way
    if (password.current) password.current.value = '';
    if (confirm.current) confirm.current.value = '';
    setBusy(true);
    setError(null);
    try {
      if (existing) await api('PUT', passwordUrl(existing), { password: value });
      else await api('POST', '/api/v1/admin-accounts', { name, role, password: value });
      onClose(existing ?? name);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
      password.current?.focus();
    }
  };

  return (
    <OpsDialog labelledBy={titleId} onClose={() => onClose(null)}>
      <form onSubmit={(e) => void save(e)}>
        <h2 id={titleId}>{existing ? t('ops.admins.setPasswordTitle', { name: existing }) : t('ops.admins.new')}</h2>
        {!existing && (
          <>
            <label>
              {t('ops.admins.name')}
              <input
                name="name"
                required
                autocomplete="off"
                value={name}
                onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
            <label>
              {t('ops.admins.role')}
              <select
                name="role"
                class="block"
                value={role}
                onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as RoleGroupName)}
              >
                {ADMIN_ROLE_GROUPS.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_GROUP_NAMES[r]}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <label>
          {t('ops.admins.password')}
          <input ref={password} name="password" type="password" required autocomplete="new-password" />
        </label>
        <label>
          {t('ops.admins.confirm')}
          <input ref={confirm} name="confirm" type="password" required autocomplete="new-password" />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {existing ? t('ops.admins.save') : t('ops.admins.create')}
          </button>
          <button type="button" onClick={() => onClose(null)}>
            {t('ops.cancel')}
          </button>
        </div>
      </form>
    </OpsDialog>
  );
}
