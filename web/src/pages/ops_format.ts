// Small pieces the operations centre's sections share: numbers and rates in
// the chosen language ("—" where there is no data, never 0), unit names,
// download links, scrollable tables and sections that say when they load.

import { errorMessage } from '../api';
import { h } from '../dom';
import { formatNumber, lang, pick, t } from '../i18n';
import { statsLink, type Asked, type PeriodParams, type Rate, type StatsUnit, type Table } from './ops_data';

function locale(): string {
  return lang() === 'vi' ? 'vi-VN' : 'en-GB';
}

/** "No data": a dash on screen, words for a screen reader. */
export function noData(): HTMLElement {
  return h('span', { class: 'no-data' }, h('span', { 'aria-hidden': 'true' }, '—'), h('span', { class: 'visually-hidden' }, t('ops.no_data')));
}

export function pctText(v: Rate, digits = 1): string {
  if (v === null || v === undefined) return '—';
  return new Intl.NumberFormat(locale(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

export function pct(v: Rate, digits = 1): Node {
  return v === null || v === undefined ? noData() : document.createTextNode(pctText(v, digits));
}

export function numText(v: number, digits = 1): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(v);
}

export function decimal(v: number | null | undefined, digits = 1): Node {
  if (v === null || v === undefined) return noData();
  return document.createTextNode(numText(v, digits));
}

export function count(n: number): string {
  return formatNumber(n);
}

export function unitName(u: StatsUnit): string {
  if (u.level === 'province_agencies') return t('ops.province_agencies', { name: pick(u.name_en, u.name) });
  return pick(u.name_en, u.name);
}

/** The two download links of a table, named for what they download. */
export function downloads(table: Table, a: Asked, period: PeriodParams, what: string, id: string): HTMLElement {
  const link = (format: 'csv' | 'xlsx', key: 'ops.csv' | 'ops.xlsx') =>
    h('a', { href: statsLink(table, a, period, format), download: true, id: `${id}-${format}`, class: 'download' }, t(key), h('span', { class: 'visually-hidden' }, `: ${what}`));
  return h('p', { class: 'downloads' }, link('csv', 'ops.csv'), link('xlsx', 'ops.xlsx'));
}

/** A table that scrolls sideways on a phone; the region is named and reachable by keyboard. */
export function scroller(table: HTMLTableElement, captionId: string): HTMLElement {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: '0' }, table);
}

/** A section of the page that is loading, failed, or shows its content. */
export function section(id: string, title: string, state: { busy: boolean; error: unknown }, body: () => (Node | null)[]): HTMLElement {
  const heading = h('h2', { id: `${id}-title` }, title);
  const el = h('section', { id, class: 'ops-section', 'aria-labelledby': `${id}-title`, 'aria-busy': state.busy ? 'true' : 'false' }, heading);
  if (state.error) el.append(h('div', { class: 'alert', role: 'alert', id: `${id}-error` }, h('p', null, errorMessage(state.error))));
  else if (state.busy) el.append(h('p', { class: 'status' }, t('ops.loading')));
  else for (const n of body()) if (n) el.append(n);
  return el;
}
