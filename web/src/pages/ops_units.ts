// The drill-down table: the provinces of the nation, or the communes of a
// province (ranked by the 766 index) with the province's own agencies last.
// Each name opens that unit's view for the same period; the agencies' row
// opens the province's own dossiers (scope=own).

import { h } from '../dom';
import { t } from '../i18n';
import { askedOf, type Asked, type Ranked } from './ops_data';
import { count, decimal, noData, pct, scroller, unitName } from './ops_format';

function order(a: Ranked, b: Ranked): number {
  const last = (f: Ranked) => (f.unit.level === 'province_agencies' ? 2 : f.rank === undefined ? 1 : 0);
  return last(a) - last(b) || (a.rank ?? 0) - (b.rank ?? 0) || unitName(a.unit).localeCompare(unitName(b.unit));
}

export function unitsTable(items: Ranked[], caption: string, link: (a: Asked) => string): HTMLElement {
  const rows = [...items].sort(order).map((f) => {
    const name = unitName(f.unit);
    return h(
      'tr',
      { 'data-code': f.unit.code, 'data-level': f.unit.level, 'data-rank': f.rank ?? null },
      h('td', { class: 'num' }, f.rank ?? noData()),
      h(
        'th',
        { scope: 'row' },
        h('a', { href: link(askedOf(f.unit)) }, name),
        ' ',
        h('span', { class: 'code' }, f.unit.code),
      ),
      h('td', { class: 'num' }, decimal(f.service_index.score, 1)),
      h('td', { class: 'num' }, count(f.received)),
      h('td', { class: 'num' }, pct(f.online_rate)),
      h('td', { class: 'num' }, pct(f.on_time_rate)),
      h('td', { class: f.overdue_now > 0 ? 'num alarm' : 'num' }, count(f.overdue_now)),
    );
  });
  const table = h(
    'table',
    { class: 'versions ops-table', id: 'ops-units-table' },
    h('caption', { id: 'ops-units-caption' }, caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['ops.col.rank', 'ops.col.unit', 'ops.col.index', 'ops.col.received', 'ops.col.online', 'ops.col.on_time', 'ops.col.overdue'].map((k) =>
          h('th', { scope: 'col' }, t(k as 'ops.col.rank')),
        ),
      ),
    ),
    h('tbody', null, rows),
  );
  return scroller(table, 'ops-units-caption');
}
