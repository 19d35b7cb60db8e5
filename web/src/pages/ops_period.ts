// The period the operations centre shows, kept in the query string
// (?period=month&date=2026-11-15 or ?from=2026-10-01&to=2026-11-30) so that a
// view can be shared and reloaded, and the form that chooses it.

import { field, h } from '../dom';
import { t, type Key } from '../i18n';
import type { PeriodParams } from './ops_data';

export const kPeriods = ['day', 'week', 'month', 'quarter', 'year', 'range'] as const;
export type PeriodKind = (typeof kPeriods)[number];

export interface Period {
  kind: PeriodKind;
  date: string; // the day the period contains; empty: today
  from: string;
  to: string;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function valid(d: string | null): string {
  return d && isoDate.test(d) ? d : '';
}

export function readPeriod(url: URL): Period {
  const q = url.searchParams;
  const from = valid(q.get('from'));
  const to = valid(q.get('to'));
  if (from && to) return { kind: 'range', date: '', from, to };
  const asked = q.get('period') ?? '';
  const kind = (kPeriods as readonly string[]).includes(asked) && asked !== 'range' ? (asked as PeriodKind) : 'month';
  return { kind, date: valid(q.get('date')), from: '', to: '' };
}

/** The API's (and the address bar's) parameters for a period. */
export function periodParams(p: Period): PeriodParams {
  if (p.kind === 'range') return { from: p.from, to: p.to };
  return p.date ? { period: p.kind, date: p.date } : { period: p.kind };
}

export function periodQuery(p: Period): string {
  return new URLSearchParams(periodParams(p)).toString();
}

/** The form: the kind of period, a day in it, or a range from one day to another. */
export function periodForm(current: Period, go: (p: Period) => void): HTMLFormElement {
  let kind: PeriodKind = current.kind;
  const select = h(
    'select',
    { id: 'ops-period', name: 'period' },
    kPeriods.map((k) => h('option', { value: k, selected: k === kind }, t(`ops.period.${k}` as Key))),
  );
  const dateInput = h('input', { id: 'ops-date', name: 'date', type: 'date', value: current.date });
  const fromInput = h('input', { id: 'ops-from', name: 'from', type: 'date', value: current.from });
  const toInput = h('input', { id: 'ops-to', name: 'to', type: 'date', value: current.to });
  const dateField = field('ops-date', t('ops.period.date'), dateInput);
  const fromField = field('ops-from', t('ops.period.from'), fromInput);
  const toField = field('ops-to', t('ops.period.to'), toInput);
  const problem = h('p', { class: 'field-error', id: 'ops-period-error', role: 'alert' });
  const show = () => {
    dateField.hidden = kind === 'range';
    fromField.hidden = toField.hidden = kind !== 'range';
  };
  select.addEventListener('change', () => {
    kind = select.value as PeriodKind;
    show();
  });
  show();
  const form = h(
    'form',
    { class: 'inline-form ops-period', id: 'ops-period-form', 'aria-label': t('ops.period.label'), novalidate: true },
    field('ops-period', t('ops.period.label'), select),
    dateField,
    fromField,
    toField,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary', id: 'ops-period-show' }, t('ops.period.show'))),
    problem,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    problem.textContent = '';
    for (const i of [fromInput, toInput]) i.removeAttribute('aria-invalid');
    if (kind !== 'range') {
      go({ kind, date: valid(dateInput.value), from: '', to: '' });
      return;
    }
    const from = valid(fromInput.value);
    const to = valid(toInput.value);
    const bad = !from ? fromInput : !to || to < from ? toInput : null;
    if (bad) {
      bad.setAttribute('aria-invalid', 'true');
      bad.setAttribute('aria-describedby', 'ops-period-error');
      problem.textContent = t(!from || !to ? 'ops.period.need_both' : 'ops.period.backwards');
      bad.focus();
      return;
    }
    go({ kind: 'range', date: '', from, to });
  });
  return form;
}
