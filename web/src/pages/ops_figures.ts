// The headline figures of a unit over a period, as cards, and its 766 service
// index: the score, the five groups with their weights and points, and the
// inputs that have no data yet.

import { h } from '../dom';
import { pick, t, type Key } from '../i18n';
import type { Figures, ListStatus, ServiceIndex } from './ops_data';
import { count, decimal, noData, numText, pct, pctText, scroller } from './ops_format';

type Child = Node | string | null;

function card(id: string, label: string, value: Node | string, details: Child[], tone = ''): HTMLElement {
  return h(
    'li',
    { class: `card stat ${tone}`.trim(), id },
    h('h3', null, label),
    h('p', { class: 'stat-value' }, value),
    details.filter((d) => d !== null).map((d) => h('p', { class: 'stat-detail' }, d)),
  );
}

function rateCard(id: string, label: string, rate: number | null, detail: string): HTMLElement {
  return card(id, label, pct(rate), [detail]);
}

/** The figures of a unit; with `show` (a commune's page), the cards whose
 * dossiers can be listed offer to show them. */
export function figureCards(f: Figures, show?: (s: ListStatus) => void): HTMLElement {
  const listed = (s: ListStatus): HTMLElement | null =>
    show ? h('button', { type: 'button', class: 'link', id: `ops-show-${s.replace('_', '-')}`, onclick: () => show(s) }, t(`ops.list.show.${s}` as Key)) : null;
  const ch = f.received_by_channel;
  const received = card('ops-received', t('ops.card.received'), count(f.received), [
    h(
      'span',
      { class: 'channels' },
      [
        [t('ops.channel.online'), ch.online],
        [t('ops.channel.counter'), ch.counter],
        [t('ops.channel.post'), ch.post],
        [t('ops.channel.national_portal'), ch.national_portal],
      ].map(([name, n]) => h('span', null, `${name}: ${count(n as number)}`)),
    ),
    listed('received'),
  ]);
  received.dataset.value = String(f.received);
  // The desk's own work: "received" counts a dossier where it is settled,
  // so a desk receiving for other units would show none of it there.
  const area = f.unit.level === 'province' || f.unit.level === 'nation';
  const atDesk = card('ops-received-at-desk', t('ops.card.received_at_desk'), count(f.received_at_desk), [
    t(area ? 'ops.card.received_at_desk_area' : 'ops.card.received_at_desk_detail'),
  ]);
  atDesk.dataset.value = String(f.received_at_desk);

  const reached = f.online_rate !== null && f.online_rate >= f.online_target;
  const online = card('ops-online', t('ops.card.online'), pct(f.online_rate), [
    t('ops.card.online_target', { target: pctText(f.online_target, 0) }),
    f.online_rate === null
      ? null
      : h('span', { class: `badge ${reached ? 'ok' : 'warn'}` }, t(reached ? 'ops.card.target_met' : 'ops.card.target_missed')),
  ]);

  const onTime = card('ops-on-time', t('ops.card.on_time'), pct(f.on_time_rate), [
    t('ops.card.on_time_detail', { on_time: count(f.on_time), late: count(f.late), finished: count(f.finished) }),
    listed('on_time'),
    listed('late'),
  ]);
  const overdue = card('ops-overdue', t('ops.card.overdue_now'), count(f.overdue_now), [t('ops.card.overdue_detail'), listed('overdue')], f.overdue_now > 0 ? 'alarm' : '');
  const open = card('ops-open', t('ops.card.open_now'), count(f.open_now), [t('ops.card.open_detail'), listed('open')]);
  const days = card(
    'ops-avg-days',
    t('ops.card.avg_days'),
    f.avg_processing_days === null ? noData() : h('span', null, decimal(f.avg_processing_days, 1), ` ${t('ops.card.days')}`),
    [t('ops.card.avg_days_detail')],
  );
  const satisfied = card('ops-satisfaction', t('ops.card.satisfaction'), pct(f.satisfaction_rate), [
    f.ratings > 0 && f.average_rating !== null
      ? t('ops.card.rating_detail', { avg: numText(f.average_rating, 2), n: count(f.ratings) })
      : t('ops.card.no_ratings'),
  ]);
  return h(
    'ul',
    { class: 'cards ops-cards', id: 'ops-cards' },
    received,
    atDesk,
    online,
    onTime,
    overdue,
    open,
    days,
    rateCard('ops-supplement', t('ops.card.supplement'), f.supplement_rate, t('ops.card.supplement_detail')),
    rateCard('ops-digitisation', t('ops.card.digitisation'), f.digitisation_rate, t('ops.card.digitisation_detail')),
    rateCard('ops-electronic', t('ops.card.electronic'), f.electronic_result_rate, t('ops.card.electronic_detail')),
    rateCard('ops-payment', t('ops.card.payment'), f.online_payment_rate, t('ops.card.payment_detail')),
    satisfied,
  );
}

export function serviceIndex(s: ServiceIndex): (Node | null)[] {
  const fmt = (v: number) => numText(v, 2);
  const score = h(
    'p',
    { class: 'index-score', id: 'ops-index-score' },
    s.score === null ? noData() : h('span', { class: 'stat-value' }, decimal(s.score, 1)),
    h('span', null, ` / 100`),
  );
  const explain = h(
    'p',
    null,
    s.score === null ? t('ops.index.no_score') : t('ops.index.points', { points: fmt(s.points), out_of: fmt(s.out_of) }),
  );
  const table = h(
    'table',
    { class: 'versions ops-index', id: 'ops-index-table' },
    h('caption', { id: 'ops-index-caption' }, t('ops.index.groups')),
    h(
      'thead',
      null,
      h('tr', null, h('th', { scope: 'col' }, t('ops.index.group')), h('th', { scope: 'col', class: 'num' }, t('ops.index.weight')), h('th', { scope: 'col', class: 'num' }, t('ops.index.earned'))),
    ),
    h(
      'tbody',
      null,
      s.groups.map((g) =>
        h(
          'tr',
          { 'data-group': g.key },
          h(
            'th',
            { scope: 'row' },
            pick(g.name_en, g.name_vi),
            h(
              'ul',
              { class: 'index-inputs', 'aria-label': t('ops.index.inputs') },
              g.inputs.map((i) =>
                h('li', { class: i.missing ? 'missing' : null }, `${pick(i.name_en, i.name_vi)}: `, i.missing ? h('em', null, t('ops.index.missing_value')) : pct(i.value)),
              ),
            ),
          ),
          h('td', { class: 'num' }, fmt(g.weight)),
          h('td', { class: 'num' }, g.points === null ? noData() : fmt(g.points)),
        ),
      ),
    ),
  );
  const missing = s.groups.flatMap((g) => g.inputs.filter((i) => i.missing));
  return [
    score,
    explain,
    scroller(table, 'ops-index-caption'),
    h('h3', { id: 'ops-missing-title' }, t('ops.index.missing_title')),
    missing.length
      ? h('ul', { id: 'ops-missing', 'aria-labelledby': 'ops-missing-title' }, missing.map((i) => h('li', { 'data-key': i.key }, pick(i.name_en, i.name_vi))))
      : h('p', { id: 'ops-missing' }, t('ops.index.none_missing')),
    s.missing_inputs.length ? h('p', { class: 'hint' }, t('ops.index.missing_note')) : null,
  ];
}
