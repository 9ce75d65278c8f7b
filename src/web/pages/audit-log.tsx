/**
 * Compliance management → Auditing: the audit log, newest first, a page at a time by the API's
 * cursor. The filters (cmdlet, target, who ran it, dates, result) are kept in the URL and sent
 * as one Search-AdminAuditLog request, which the server filters. An entry expands to show its
 * parameters as recorded — a PIN is recorded only as "(redacted)", and shown so.
 */
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import type { AuditEntryView, Page } from '../api-types.js';
import {
  AUDITED_CMDLETS,
  type AuditView,
  auditUrl,
  auditViewFromQuery,
  auditViewQuery,
  EMPTY_AUDIT_VIEW,
  errorSummary,
} from '../audit-view.js';
import { formatTimestamp } from '../format.js';
import { language, t } from '../i18n.js';
import { fetchAllPages } from '../paged.js';
import { navigate, path } from '../router.js';
import { downloadCsv, toCsv } from '../csv-file.js';

const PAGE_SIZE = 50;
const EXPORT_PAGE_SIZE = 1000;

export function AuditLogPage() {
  const [view, setView] = useState<AuditView>(() => auditViewFromQuery(location.search));
  // the form's fields as typed; applied to `view` by Search
  const [draft, setDraft] = useState<AuditView>(view);
  const [rows, setRows] = useState<AuditEntryView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const [exported, setExported] = useState<string | null>(null);
  const generation = useRef(0);

  const load = async (v: AuditView, cursor: string | null) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await api<Page<AuditEntryView>>('GET', auditUrl(v, cursor, PAGE_SIZE));
      if (mine !== generation.current) return;
      setRows((before) => (cursor ? [...before, ...page.items] : page.items));
      setNext(page.next);
      setError(null);
    } catch (err) {
      if (mine === generation.current) {
        setError(errorText(err));
        if (!cursor) setRows([]);
        setNext(null);
      }
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  // the browser's Back and Forward move between searches: the URL's filter becomes the view
  const urlQuery = path.value.includes('?') ? path.value.slice(path.value.indexOf('?')) : '';
  useEffect(() => {
    const fromUrl = auditViewFromQuery(urlQuery);
    if (JSON.stringify(fromUrl) !== JSON.stringify(view)) {
      setDraft(fromUrl);
      setView(fromUrl);
    }
  }, [urlQuery]);

  useEffect(() => {
    const query = auditViewQuery(view);
    if (query !== location.search) navigate(`/audit${query}`, { replace: true });
    setOpen(new Set());
    void load(view, null);
  }, [view]);

  const apply = (v: AuditView) => {
    setDraft(v);
    setView(v);
    setExported(null);
    // each search is a step in the browser's history
    const query = auditViewQuery(v);
    if (query !== location.search) navigate(`/audit${query}`);
  };

  const exportCsv = async () => {
    setExported(null);
    try {
      const all = (await fetchAllPages<AuditEntryView>((cursor) => auditUrl(view, cursor, EXPORT_PAGE_SIZE))) ?? [];
      downloadCsv(
        'audit-log.csv',
        toCsv(
          [
            t('ops.audit.columns.time'),
            t('ops.audit.columns.actor'),
            t('ops.audit.columns.source'),
            t('ops.audit.columns.cmdlet'),
            t('ops.audit.columns.target'),
            t('ops.audit.columns.result'),
            t('ops.audit.columns.errorCode'),
            t('ops.audit.parameters'),
          ],
          all.map((e) => [
            new Date(e.at).toISOString(),
            e.actor,
            e.source ?? '',
            e.action,
            e.target ?? '',
            e.result,
            e.errorCode ?? '',
            JSON.stringify(e.parameters),
          ]),
        ),
      );
      setExported(t('ops.audit.exported', { count: all.length }));
    } catch (err) {
      setExported(errorText(err));
    }
  };

  const field = (key: 'cmdlet' | 'target' | 'actor', label: string, list?: string) => (
    <div class="filter">
      <label for={`audit-${key}`}>{label}</label>
      <input
        id={`audit-${key}`}
        name={key}
        value={draft[key]}
        list={list}
        autocomplete="off"
        onInput={(e) => {
          const value = (e.currentTarget as HTMLInputElement).value;
          setDraft((d) => ({ ...d, [key]: value }));
        }}
      />
    </div>
  );
  const day = (key: 'from' | 'to', label: string) => (
    <div class="filter">
      <label for={`audit-${key}`}>{label}</label>
      <input
        id={`audit-${key}`}
        type="date"
        name={key}
        value={draft[key]}
        onInput={(e) => {
          const value = (e.currentTarget as HTMLInputElement).value;
          setDraft((d) => ({ ...d, [key]: value }));
        }}
      />
    </div>
  );

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('ops.audit.title')}</h1>
      <form
        class="ops-filters"
        aria-label={t('ops.audit.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
      >
        {field('cmdlet', t('ops.audit.cmdlet'), 'audit-cmdlets')}
        <datalist id="audit-cmdlets">
          {AUDITED_CMDLETS.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        {field('target', t('ops.audit.target'))}
        {field('actor', t('ops.audit.actor'))}
        {day('from', t('ops.audit.from'))}
        {day('to', t('ops.audit.to'))}
        <div class="filter">
          <label for="audit-result">{t('ops.audit.result')}</label>
          <select
            id="audit-result"
            name="result"
            value={draft.result}
            onChange={(e) => {
              const value = (e.currentTarget as HTMLSelectElement).value;
              setDraft((d) => ({ ...d, result: value === 'success' || value === 'failure' ? value : '' }));
            }}
          >
            <option value="">{t('ops.audit.result.any')}</option>
            <option value="success">{t('ops.audit.result.success')}</option>
            <option value="failure">{t('ops.audit.result.failure')}</option>
          </select>
        </div>
        <div class="buttons">
          <button type="submit" class="primary">
            {t('ops.audit.search')}
          </button>
          <button type="button" onClick={() => apply(EMPTY_AUDIT_VIEW)}>
            {t('ops.audit.clear')}
          </button>
          <button type="button" onClick={() => void exportCsv()}>
            {t('ops.audit.export')}
          </button>
        </div>
      </form>
      {exported && (
        <p class="count" role="status">
          {exported}
        </p>
      )}

      <table class="ops-table" aria-labelledby="audit-title">
        <thead>
          <tr>
            <th scope="col">{t('ops.audit.columns.time')}</th>
            <th scope="col">{t('ops.audit.columns.actor')}</th>
            <th scope="col">{t('ops.audit.columns.source')}</th>
            <th scope="col">{t('ops.audit.columns.cmdlet')}</th>
            <th scope="col">{t('ops.audit.columns.target')}</th>
            <th scope="col">{t('ops.audit.columns.result')}</th>
            <th scope="col">{t('ops.audit.columns.errorCode')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => {
            const expanded = open.has(e.seq);
            const time = formatTimestamp(e.at);
            const summary = e.errorCode ? errorSummary(e.errorCode, language.value) : null;
            return (
              <Fragment key={e.seq}>
                <tr class="audit-entry" data-seq={e.seq}>
                  <td>
                    <button
                      type="button"
                      class="expand"
                      aria-expanded={expanded}
                      aria-controls={`audit-${e.seq}`}
                      aria-label={t('ops.audit.showParameters', { cmdlet: e.action, time })}
                      onClick={() =>
                        setOpen((s) => {
                          const n = new Set(s);
                          if (n.has(e.seq)) n.delete(e.seq);
                          else n.add(e.seq);
                          return n;
                        })
                      }
                    >
                      <span aria-hidden="true">{expanded ? '▾ ' : '▸ '}</span>
                      {time}
                    </button>
                  </td>
                  <td>{e.actor}</td>
                  <td>{e.source ?? ''}</td>
                  <td>{e.action}</td>
                  <td>{e.target ?? ''}</td>
                  <td>{e.result === 'success' ? t('ops.audit.result.success') : t('ops.audit.result.failure')}</td>
                  <td title={summary ?? undefined}>{e.errorCode ?? ''}</td>
                </tr>
                {expanded && (
                  <tr class="audit-detail" id={`audit-${e.seq}`}>
                    <td colSpan={7}>
                      <AuditDetail entry={e} summary={summary} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>

      <p class="count" role="status">
        {loading
          ? t('common.loading')
          : rows.length === 0
            ? t('ops.audit.none')
            : t('ops.audit.shown', { count: rows.length })}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {next && !loading && (
        <button type="button" onClick={() => void load(view, next)}>
          {t('ops.more')}
        </button>
      )}
    </section>
  );
}

function AuditDetail({ entry, summary }: { entry: AuditEntryView; summary: string | null }) {
  const params = Object.entries(entry.parameters).filter(([, v]) => v !== undefined && v !== null);
  return (
    <div class="audit-parameters">
      {entry.errorCode && (
        <p>
          {t('ops.audit.error')}: <code>{entry.errorCode}</code>
          {summary && <> — {summary}</>}
        </p>
      )}
      <h2 class="ops-subhead">{t('ops.audit.parameters')}</h2>
      {params.length === 0 ? (
        <p>{t('ops.audit.noParameters')}</p>
      ) : (
        <dl class="facts">
          {params.map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              <dd>
                <code>{typeof v === 'string' ? v : JSON.stringify(v)}</code>
              </dd>
            </Fragment>
          ))}
        </dl>
      )}
    </div>
  );
}
