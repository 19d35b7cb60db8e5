// The warnings panel (overdue and due-soon dossiers, units whose on-time rate
// falls or whose intake spikes) and the forecast panel (the next working days
// with the staff they need, and the error measured on held-back days).

import { h } from '../dom';
import { formatDate, pick, t, type Key } from '../i18n';
import { askedOf, competentAsked, sameAsked, type Asked, type Forecast, type UnitWarning, type Warnings, type Watched } from './ops_data';
import { count, downloads, numText, pct, scroller, unitName } from './ops_format';
import { formatInstant } from './track';

const kShown = 20;

function dossierItem(d: Watched, flag: string, here: Asked, link: (a: Asked) => string): HTMLElement {
  const unit = competentAsked(d.competent_unit);
  return h(
    'li',
    { class: `candidate ${flag}`, 'data-state': d.state },
    h('a', { class: 'candidate-name code', href: `/dossiers/${encodeURIComponent(d.code)}` }, d.code),
    h('p', null, d.procedure_name || d.procedure_code),
    h(
      'p',
      { class: 'meta' },
      `${t('ops.warn.due')}: ${formatInstant(d.due_at)} · ${t(`state.${d.state}` as Key)} · ${t('ops.warn.unit')}: `,
      sameAsked(unit, here) ? d.competent_unit : h('a', { href: link(unit) }, d.competent_unit),
    ),
  );
}

interface ListContext {
  expanded: Set<string>;
  toggle: (key: string) => void;
  here: Asked;
  link: (a: Asked) => string;
}

// The title counts every such dossier; the list names the soonest due of
// them, as many as the server sends, and says so when that is not all.
function dossierList(key: 'overdue' | 'due_soon', list: Watched[], total: number, c: ListContext): (Node | null)[] {
  const id = `ops-${key.replace('_', '-')}`;
  const title = h('h3', { id: `${id}-title`, 'data-total': String(total) }, t(`ops.warn.${key}` as Key, { n: count(total) }));
  if (!list.length) return [title, h('p', { class: 'notice none', id: `${id}-none` }, t(`ops.warn.${key}_none` as Key))];
  const all = c.expanded.has(key);
  const shown = all ? list : list.slice(0, kShown);
  const whole = list.length >= total;
  return [
    title,
    h('ul', { class: 'candidates', id: `${id}-list`, 'aria-labelledby': `${id}-title` }, shown.map((d) => dossierItem(d, key === 'overdue' ? 'overdue' : 'due-soon', c.here, c.link))),
    whole ? null : h('p', { class: 'hint', id: `${id}-capped` }, t('ops.warn.capped', { shown: count(list.length), n: count(total) })),
    list.length > kShown
      ? h('p', null, h('button', { type: 'button', class: 'secondary', 'aria-expanded': all ? 'true' : 'false', 'aria-controls': `${id}-list`, onclick: () => c.toggle(key) }, t(all ? 'ops.warn.fewer' : whole ? 'ops.warn.all' : 'ops.warn.earliest', { n: count(list.length) })))
      : null,
  ];
}

function unitItem(w: UnitWarning, link: (a: Asked) => string): HTMLElement {
  const name = unitName(w.unit);
  const linked = w.unit.level !== 'nation';
  return h(
    'li',
    { class: `candidate ${w.kind === 'backlog_spike' ? 'due-soon' : 'overdue'}`, 'data-kind': w.kind, 'data-code': w.unit.code },
    h('p', null, h('strong', null, t(`ops.warn.kind.${w.kind}` as Key)), ' · ', linked ? h('a', { href: link(askedOf(w.unit)) }, name) : name),
    h('p', null, pick(w.message_en, w.message_vi)),
  );
}

export function warningsBody(w: Warnings, expanded: Set<string>, toggle: (key: string) => void, link: (a: Asked) => string): (Node | null)[] {
  const c: ListContext = { expanded, toggle, here: askedOf(w.unit), link };
  return [
    ...dossierList('overdue', w.overdue, w.overdue_total, c),
    ...dossierList('due_soon', w.due_soon, w.due_soon_total, c),
    h('h3', { id: 'ops-unit-warnings-title' }, t('ops.warn.units', { n: count(w.units.length) })),
    w.units.length
      ? h('ul', { class: 'candidates', id: 'ops-unit-warnings', 'aria-labelledby': 'ops-unit-warnings-title' }, w.units.map((u) => unitItem(u, link)))
      : h('p', { class: 'notice none', id: 'ops-unit-warnings-none' }, t('ops.warn.units_none')),
  ];
}

export function forecastBody(f: Forecast, chart: Node): (Node | null)[] {
  const table = h(
    'table',
    { class: 'versions', id: 'ops-forecast-table' },
    h('caption', { id: 'ops-forecast-caption' }, t('ops.fc.caption', { n: f.days.length })),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('ops.fc.date')), h('th', { scope: 'col' }, t('ops.fc.expected')), h('th', { scope: 'col' }, t('ops.fc.staff')))),
    h(
      'tbody',
      null,
      f.days.map((d) => h('tr', { 'data-date': d.date }, h('th', { scope: 'row' }, formatDate(d.date)), h('td', null, numText(d.expected, 1)), h('td', null, count(d.staff)))),
    ),
  );
  const e = f.error;
  const fact = (label: string, value: Node | string, id: string) => h('div', { id }, h('dt', null, label), h('dd', null, value));
  const error = e
    ? [
        h(
          'dl',
          { class: 'facts wide', id: 'ops-forecast-error' },
          fact(t('ops.fc.held_back'), count(e.held_back_days), 'ops-fc-held'),
          fact(t('ops.fc.mae'), t('ops.fc.per_day', { n: numText(e.mae, 2) }), 'ops-fc-mae'),
          fact(t('ops.fc.wape'), pct(e.wape), 'ops-fc-wape'),
          fact(t('ops.fc.bias'), t('ops.fc.per_day', { n: `${e.bias > 0 ? '+' : ''}${numText(e.bias, 2)}` }), 'ops-fc-bias'),
        ),
        h('p', { class: 'hint' }, t('ops.fc.error_how', { n: e.held_back_days })),
      ]
    : [h('p', { class: 'notice none', id: 'ops-forecast-error' }, t('ops.fc.no_error'))];
  return [
    h('p', null, t('ops.fc.basis', { days: count(f.history_working_days), per_staff: numText(f.per_staff, 1) })),
    chart,
    h('div', { class: 'ops-forecast' }, h('div', null, scroller(table, 'ops-forecast-caption'), downloads('forecast', askedOf(f.unit), {}, t('ops.fc.caption', { n: f.days.length }), 'ops-forecast')), h('div', null, h('h3', null, t('ops.fc.error_title')), ...error)),
  ];
}
