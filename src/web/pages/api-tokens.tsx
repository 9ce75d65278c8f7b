/**
 * Permissions → API tokens (Organization Management): the tokens programs use, New API token
 * (name, role group) and Remove. A new token's secret is shown once, in the dialog that made
 * it, with Copy; closing the dialog drops it from the page, and nothing stores it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../api.js';
import type { ApiTokenView, NewApiTokenOutcome, Page, RoleGroupName } from '../api-types.js';
import { can } from '../can.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { pagedUrl } from '../paged.js';
import { ROLE_GROUP_NAMES, ROLE_GROUPS } from '../role-groups.js';
import { OpsDialog } from './ops-dialog.js';

const PAGE_SIZE = 100;
const tokenUrl = (name: string) => `/api/v1/tokens/${encodeURIComponent(name)}`;

export function ApiTokensPage() {
  const [tokens, setTokens] = useState<ApiTokenView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [removing, setRemoving] = useState<ApiTokenView | null>(null);

  const load = async (cursor: string | null) => {
    try {
      const page = await api<Page<ApiTokenView>>('GET', pagedUrl('/api/v1/tokens', cursor, PAGE_SIZE));
      setTokens((before) => (cursor && before ? [...before, ...page.items] : page.items));
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
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">{t('ops.tokens.title')}</h1>
      <p>{t('ops.tokens.intro')}</p>
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
            {t('ops.tokens.new')}
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
      {tokens && tokens.length === 0 && <p class="count">{t('ops.tokens.none')}</p>}
      {tokens && tokens.length > 0 && (
        <table class="ops-table" aria-labelledby="tokens-title">
          <thead>
            <tr>
              <th scope="col">{t('ops.tokens.columns.name')}</th>
              <th scope="col">{t('ops.tokens.columns.role')}</th>
              <th scope="col">{t('ops.tokens.columns.scope')}</th>
              <th scope="col">{t('ops.tokens.columns.createdBy')}</th>
              <th scope="col">{t('ops.tokens.columns.createdAt')}</th>
              <th scope="col">{t('ops.tokens.columns.lastUsedAt')}</th>
              <th scope="col">{t('ops.tokens.columns.status')}</th>
              {mayWrite && <th scope="col">{t('ops.tokens.columns.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {tokens.map((tk) => (
              <tr key={`${tk.name}:${tk.createdAt}`} class="api-token">
                <td>{tk.name}</td>
                <td>{ROLE_GROUP_NAMES[tk.role]}</td>
                <td>{tk.dialPlanScope ? tk.dialPlanScope.join(', ') : t('ops.wholeOrganization')}</td>
                <td>{tk.createdBy}</td>
                <td>{formatDateTime(tk.createdAt)}</td>
                <td>{tk.lastUsedAt === null ? t('ops.tokens.neverUsed') : formatDateTime(tk.lastUsedAt)}</td>
                <td>
                  {tk.revokedAt === null
                    ? t('ops.tokens.active')
                    : t('ops.tokens.revoked', { time: formatDateTime(tk.revokedAt) })}
                </td>
                {mayWrite && (
                  <td>
                    {tk.revokedAt === null && (
                      <button
                        type="button"
                        aria-label={t('ops.tokens.removeOne', { name: tk.name })}
                        onClick={() => {
                          setNotice(null);
                          setRemoving(tk);
                        }}
                      >
                        {t('ops.tokens.remove')}
                      </button>
                    )}
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
        <NewTokenDialog
          onCreated={() => void load(null)}
          onClose={() => {
            setCreating(false);
          }}
        />
      )}
      {removing && (
        <RemoveTokenDialog
          token={removing}
          onClose={(removed) => {
            setRemoving(null);
            if (removed) {
              setNotice(t('ops.tokens.removed', { name: removing.name }));
              void load(null);
            }
          }}
        />
      )}
    </section>
  );
}

function NewTokenDialog({ onCreated, onClose }: { onCreated: () => void; onClose: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<RoleGroupName>('HelpDesk');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);
  // the secret lives in this component's state only: it goes when the dialog closes
  const [made, setMade] = useState<NewApiTokenOutcome | null>(null);
  const [copied, setCopied] = useState(false);
  const secretField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // the form and its focused button are gone: focus moves to the secret, ready to copy
    if (made) secretField.current?.select();
  }, [made]);

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setMade(await api<NewApiTokenOutcome>('POST', '/api/v1/tokens', { name, role }));
      onCreated();
    } catch (err) {
      setError({ text: errorText(err), field: err instanceof ApiError ? err.field : undefined });
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!made) return;
    try {
      await navigator.clipboard.writeText(made.token);
      setCopied(true);
    } catch {
      // no clipboard (an insecure origin, or refused): the field is selected for Ctrl+C instead
      secretField.current?.select();
    }
  };

  if (made)
    return (
      <OpsDialog labelledBy="token-made-title" onClose={onClose}>
        <h2 id="token-made-title">{t('ops.tokens.createdTitle')}</h2>
        <p id="token-once">{t('ops.tokens.secretOnce', { name: made.view.name })}</p>
        <label for="token-secret">{t('ops.tokens.secret')}</label>
        <div class="secret-row">
          <input
            id="token-secret"
            ref={secretField}
            class="secret"
            readOnly
            value={made.token}
            aria-describedby="token-once"
            autocomplete="off"
            spellcheck={false}
          />
          <button type="button" onClick={() => void copy()}>
            {t('ops.tokens.copy')}
          </button>
        </div>
        <p role="status" class="count">
          {copied ? t('ops.tokens.copied') : ''}
        </p>
        <div class="buttons">
          <button type="button" class="primary" onClick={onClose}>
            {t('ops.tokens.done')}
          </button>
        </div>
      </OpsDialog>
    );

  return (
    <OpsDialog labelledBy="token-new-title" onClose={onClose}>
      <form onSubmit={(e) => void create(e)}>
        <h2 id="token-new-title">{t('ops.tokens.new')}</h2>
        <label>
          {t('ops.tokens.name')}
          <input
            name="name"
            required
            autocomplete="off"
            value={name}
            aria-invalid={error?.field === 'Name' ? true : undefined}
            onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label>
          {t('ops.tokens.role')}
          <select
            name="role"
            class="block"
            value={role}
            onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as RoleGroupName)}
          >
            {ROLE_GROUPS.map((r) => (
              <option key={r} value={r}>
                {ROLE_GROUP_NAMES[r]}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p class="error" role="alert">
            {error.text}
          </p>
        )}
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {t('ops.tokens.create')}
          </button>
          <button type="button" onClick={onClose}>
            {t('ops.cancel')}
          </button>
        </div>
      </form>
    </OpsDialog>
  );
}

function RemoveTokenDialog({ token, onClose }: { token: ApiTokenView; onClose: (removed: boolean) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    try {
      await api('DELETE', tokenUrl(token.name));
      onClose(true);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <OpsDialog labelledBy="token-remove-title" onClose={() => onClose(false)}>
      <h2 id="token-remove-title">{t('ops.tokens.removeTitle')}</h2>
      <p>{t('ops.tokens.removeConfirm', { name: token.name })}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="buttons">
        <button type="button" class="primary" disabled={busy} onClick={() => void remove()}>
          {t('ops.tokens.remove')}
        </button>
        <button type="button" onClick={() => onClose(false)}>
          {t('ops.cancel')}
        </button>
      </div>
    </OpsDialog>
  );
}
