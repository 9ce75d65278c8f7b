/**
 * Unified Messaging → UM dial plans: the dial plans a page at a time, by name, each linking to
 * its page; New UM dial plan (New-UMDialPlan, which also creates "<name> Default Policy") for
 * the roles that may change organisation settings.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { DIAL_PLAN_LIMITS } from '../../domain/dial-plan.js';
import { api, errorText } from '../api.js';
import type { DialPlanView, NewDialPlanInput, NewDialPlanOutcome, Page } from '../api-types.js';
import { can } from '../can.js';
import { formatNumber } from '../format.js';
import { t } from '../i18n.js';
import { dialPlanPath, dialPlanUrl } from '../paths.js';
import { navigate } from '../router.js';
import { FormDialog } from './form-dialog.js';

const PAGE_SIZE = 100;
const L = DIAL_PLAN_LIMITS;

export function DialPlansPage() {
  const [plans, setPlans] = useState<DialPlanView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);

  const load = async (cursor: string | null) => {
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor) query.set('cursor', cursor);
      const page = await api<Page<DialPlanView>>('GET', `${dialPlanUrl()}?${query}`);
      setPlans((before) => (cursor ? [...before, ...page.items] : page.items));
      setNext(page.next);
      setLoaded(true);
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => void load(null), []);

  const create = async (fields: FormData) => {
    const body: NewDialPlanInput = {
      name: String(fields.get('name') ?? ''),
      numberOfDigitsInExtension: Number(fields.get('digits')),
      countryOrRegionCode: String(fields.get('countryCode') ?? ''),
    };
    const made = await api<NewDialPlanOutcome>('POST', dialPlanUrl(), body);
    navigate(dialPlanPath(made.dialPlan.id));
  };

  return (
    <section aria-labelledby="dial-plans-title">
      <h1 id="dial-plans-title">{t('org.dialPlans.title')}</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {can('organization:write') && (
        <div class="toolbar">
          <button type="button" ref={newButton} onClick={() => setCreating(true)}>
            {t('org.dialPlans.new')}
          </button>
        </div>
      )}
      {loaded && (
        <>
          <p class="count">{t('org.dialPlans.count', { count: plans.length })}</p>
          {plans.length === 0 ? (
            <p>{t('org.dialPlans.none')}</p>
          ) : (
            <div class="table-scroll">
              <table class="org-table">
                <thead>
                  <tr>
                    <th scope="col">{t('org.name')}</th>
                    <th scope="col">{t('org.dialPlan.digits')}</th>
                    <th scope="col">{t('org.dialPlan.countryCode')}</th>
                    <th scope="col">{t('org.dialPlan.accessNumbers')}</th>
                  </tr>
                </thead>
                <tbody>
                  {plans.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <a
                          href={dialPlanPath(p.id)}
                          onClick={(e) => {
                            e.preventDefault();
                            navigate(dialPlanPath(p.id));
                          }}
                        >
                          {p.name}
                        </a>
                      </td>
                      <td>{formatNumber(p.numberOfDigitsInExtension)}</td>
                      <td>{p.countryOrRegionCode}</td>
                      <td>{p.voiceAccessNumbers.join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {next && (
            <button type="button" onClick={() => void load(next)}>
              {t('org.dialPlans.more')}
            </button>
          )}
        </>
      )}
      {creating && (
        <FormDialog
          title={t('org.dialPlans.new')}
          confirmLabel={t('org.save')}
          onConfirm={create}
          onClose={() => {
            setCreating(false);
            newButton.current?.focus();
          }}
        >
          <label>
            {t('org.name')}
            <input name="name" required maxLength={L.name.maxLength} />
          </label>
          <label>
            {t('org.dialPlan.digits')}
            <input
              name="digits"
              type="number"
              required
              step={1}
              min={L.numberOfDigitsInExtension.min}
              max={L.numberOfDigitsInExtension.max}
            />
          </label>
          <label>
            {t('org.dialPlan.countryCode')}
            <input
              name="countryCode"
              required
              inputMode="numeric"
              pattern={`[0-9]{${L.countryOrRegionCode.minDigits},${L.countryOrRegionCode.maxDigits}}`}
            />
          </label>
        </FormDialog>
      )}
    </section>
  );
}
