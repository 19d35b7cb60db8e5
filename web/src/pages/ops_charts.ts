// The two charts of the operations centre. Each is a <figure> whose canvas is
// an image named by a summary in words, next to the same figures as a table;
// Chart.js itself loads only when a chart is first drawn.

import { h, todayInVietnam } from '../dom';
import { formatDate, lang, t } from '../i18n';
import type { Asked, Forecast, PeriodParams, SeriesDay } from './ops_data';
import { count, downloads, numText, scroller } from './ops_format';
import type { Drawn, Serie } from './ops_chartjs';

const kColor = { received: '#0b4f9c', finished: '#1e5631', late: '#b3261e', expected: '#0b4f9c', actual: '#6b6b6b', predicted: '#9b1c1c' };

function shortDate(iso: string): string {
  const [, m, d] = iso.split('-');
  if (lang() === 'vi') return `${d}/${m}`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(d)} ${months[Number(m) - 1]}`;
}

function figure(id: string, caption: string, summary: string, labels: string[], series: Serie[], yTitle: string, drawn: (d: Drawn) => void): HTMLElement {
  const canvas = h('canvas', { role: 'img', 'aria-label': caption, 'aria-describedby': `${id}-summary`, id: `${id}-canvas` });
  const box = h('div', { class: 'chart-box' }, canvas);
  const el = h('figure', { class: 'chart', id }, h('figcaption', null, caption), box, h('p', { class: 'hint chart-summary', id: `${id}-summary` }, summary));
  import('./ops_chartjs').then(
    (lib) => {
      if (!canvas.isConnected) return;
      drawn(lib.draw(canvas, labels, series, yTitle));
      canvas.dataset.drawn = 'true';
    },
    () => box.replaceChildren(h('p', { class: 'notice none' }, t('ops.chart.failed'))),
  );
  return el;
}

export function seriesBody(all: SeriesDay[], a: Asked, period: PeriodParams, drawn: (d: Drawn) => void): Node[] {
  // Days still to come hold no dossiers yet: they would read as zeros.
  const today = todayInVietnam();
  const items = all.filter((d) => d.date <= today);
  if (!items.length) return [h('p', { class: 'notice none' }, t('ops.no_data'))];
  const sum = (k: 'received' | 'finished' | 'late') => items.reduce((n, d) => n + d[k], 0);
  const peak = items.reduce((best, d) => (d.received > best.received ? d : best), items[0]!);
  const summary = t('ops.chart.series_summary', {
    from: formatDate(items[0]!.date),
    to: formatDate(items[items.length - 1]!.date),
    received: count(sum('received')),
    finished: count(sum('finished')),
    late: count(sum('late')),
    peak: count(peak.received),
    peak_date: formatDate(peak.date),
  });
  const chart = figure(
    'ops-series-chart',
    t('ops.chart.series_caption'),
    summary,
    items.map((d) => shortDate(d.date)),
    [
      { label: t('ops.col.received'), data: items.map((d) => d.received), color: kColor.received, kind: 'line' },
      { label: t('ops.col.finished'), data: items.map((d) => d.finished), color: kColor.finished, kind: 'line' },
      { label: t('ops.col.late'), data: items.map((d) => d.late), color: kColor.late, kind: 'line', dashed: true },
    ],
    t('ops.chart.dossiers'),
    drawn,
  );
  const cols = ['ops.fc.date', 'ops.col.received', 'ops.col.online_count', 'ops.col.finished', 'ops.col.on_time_count', 'ops.col.late'] as const;
  const table = h(
    'table',
    { class: 'versions', id: 'ops-series-table' },
    h('caption', { id: 'ops-series-caption' }, t('ops.chart.series_table')),
    h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    h(
      'tbody',
      null,
      items.map((d) =>
        h('tr', null, h('th', { scope: 'row' }, formatDate(d.date)), [d.received, d.online, d.finished, d.on_time, d.late].map((n) => h('td', null, count(n)))),
      ),
    ),
  );
  return [
    chart,
    h('details', { class: 'ops-data' }, h('summary', null, t('ops.chart.show_table')), scroller(table, 'ops-series-caption')),
    downloads('series', a, period, t('ops.chart.series_table'), 'ops-series'),
  ];
}

export function forecastChart(f: Forecast, drawn: (d: Drawn) => void): Node {
  if (!f.days.length) return h('p', { class: 'notice none' }, t('ops.no_data'));
  const held = f.error?.days ?? [];
  const labels = [...held.map((d) => shortDate(d.date)), ...f.days.map((d) => shortDate(d.date))];
  const pad = (n: number) => Array<null>(n).fill(null);
  const expected = f.days.map((d) => d.expected);
  const summary = [
    t('ops.chart.forecast_summary', {
      n: f.days.length,
      min: numText(Math.min(...expected), 1),
      max: numText(Math.max(...expected), 1),
      total: numText(expected.reduce((a, b) => a + b, 0), 0),
    }),
    held.length
      ? t('ops.chart.backtest_summary', {
          n: held.length,
          actual: count(held.reduce((a, d) => a + d.actual, 0)),
          predicted: numText(held.reduce((a, d) => a + d.predicted, 0), 0),
        })
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  return figure(
    'ops-forecast-chart',
    t('ops.chart.forecast_caption'),
    summary,
    labels,
    [
      { label: t('ops.chart.actual'), data: [...held.map((d) => d.actual), ...pad(f.days.length)], color: kColor.actual, kind: 'bar' },
      { label: t('ops.chart.predicted'), data: [...held.map((d) => d.predicted), ...pad(f.days.length)], color: kColor.predicted, kind: 'line', dashed: true },
      { label: t('ops.fc.expected'), data: [...pad(held.length), ...expected], color: kColor.expected, kind: 'bar' },
    ],
    t('ops.chart.dossiers'),
    drawn,
  );
}
