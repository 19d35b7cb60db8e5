// A commune's (or a province's own agencies') dossiers behind its figures: pick a figure (received, finished,
// on time or late in the period; open or overdue now), read its dossiers a
// page at a time, newest first (open and overdue: soonest due first), each
// linked to its page; download the whole list. The server decides who is in
// a list exactly as it counts the figure, so the two always agree.

import { errorMessage, isAbort } from '../api';
import { h, replace } from '../dom';
import { t, tEnum, type Key } from '../i18n';
import { getDossierList, statsLink, type Asked, type DossierList, type Figures, type ListStatus, type PeriodParams } from './ops_data';
import { count, scroller } from './ops_format';
import { formatInstant } from './track';

const kStatuses: ListStatus[] = ['received', 'finished', 'on_time', 'late', 'open', 'overdue'];
const kPage = 50;

function figureOf(f: Figures, s: ListStatus): number {
  switch (s) {
    case 'open':
      return f.open_now;
    case 'overdue':
      return f.overdue_now;
    default:
      return f[s];
  }
}

export interface DossierListPanel {
  element: HTMLElement;
  /** The figures arrived: the choices show how many each list holds. */
  showFigures(f: Figures): void;
  /** Shows list `s` and brings the section into view. */
  show(s: ListStatus): void;
}

export function dossierListPanel(unit: Asked, period: PeriodParams, signal: AbortSignal): DossierListPanel {
  let status: ListStatus = 'received';
  let offset = 0;
  let figures: Figures | null = null;
  let request: AbortController | null = null;
  const choices = h('div', { class: 'ops-choice', role: 'group', 'aria-label': t('ops.list.choose'), id: 'ops-dossiers-choice' });
  const body = h('div', { id: 'ops-dossiers-body', 'aria-live': 'polite', 'aria-busy': 'false' });
  const element = h(
    'section',
    { id: 'ops-dossiers', class: 'ops-section', 'aria-labelledby': 'ops-dossiers-title' },
    h('h2', { id: 'ops-dossiers-title' }, t(unit.scope === 'own' ? 'ops.list.title_agencies' : 'ops.list.title')),
    h('p', { class: 'hint' }, t('ops.list.hint')),
    choices,
    body,
  );

  function paintChoices(): void {
    replace(
      choices,
      kStatuses.map((s) =>
        h(
          'button',
          { type: 'button', class: 'secondary', 'data-status': s, 'aria-pressed': s === status ? 'true' : 'false', onclick: () => choose(s) },
          t(`ops.list.${s}` as Key),
          figures ? ` (${count(figureOf(figures, s))})` : '',
        ),
      ),
    );
  }

  function choose(s: ListStatus): void {
    status = s;
    offset = 0;
    paintChoices();
    void load();
  }

  function table(list: DossierList): HTMLElement {
    const head = ['code', 'procedure', 'channel', 'state', 'received', 'due', 'finished', 'time'].map((k) => h('th', { scope: 'col' }, t(`ops.list.col.${k}` as Key)));
    const rows = list.items.map((d) =>
      h(
        'tr',
        { 'data-code': d.code, 'data-time': d.time_status },
        h('th', { scope: 'row' }, h('a', { class: 'code', href: `/dossiers/${encodeURIComponent(d.code)}` }, d.code)),
        h('td', null, d.procedure_name || d.procedure_code),
        h('td', null, tEnum('ops.channel', d.channel)),
        h('td', null, tEnum('state', d.state)),
        h('td', null, formatInstant(d.received_at)),
        h('td', null, formatInstant(d.due_at)),
        h('td', null, formatInstant(d.finished_at)),
        h('td', { class: `time ${d.time_status}` }, tEnum('time', d.time_status), d.supplement_requests > 1 ? ` · ${t('ops.list.supplements', { n: d.supplement_requests })}` : ''),
      ),
    );
    return scroller(
      h(
        'table',
        { class: 'versions ops-list', id: 'ops-dossiers-table' },
        h('caption', { id: 'ops-dossiers-caption' }, t('ops.list.caption', { what: t(`ops.list.${list.status}` as Key), n: count(list.total) })),
        h('thead', null, h('tr', null, head)),
        h('tbody', null, rows),
      ),
      'ops-dossiers-caption',
    );
  }

  function pager(list: DossierList): HTMLElement {
    const last = list.offset + list.items.length;
    const go = (to: number) => () => {
      offset = Math.max(0, to);
      void load();
    };
    return h(
      'p',
      { class: 'pager', id: 'ops-dossiers-pager' },
      h('button', { type: 'button', class: 'secondary', id: 'ops-dossiers-prev', disabled: list.offset === 0, onclick: go(list.offset - kPage) }, t('ops.list.prev')),
      h('span', { id: 'ops-dossiers-shown' }, t('ops.list.shown', { first: count(list.offset + 1), last: count(last), n: count(list.total) })),
      h('button', { type: 'button', class: 'secondary', id: 'ops-dossiers-next', disabled: last >= list.total, onclick: go(list.offset + kPage) }, t('ops.list.next')),
    );
  }

  function downloads(list: DossierList): HTMLElement {
    const what = t('ops.list.caption', { what: t(`ops.list.${list.status}` as Key), n: count(list.total) });
    const link = (format: 'csv' | 'xlsx', key: 'ops.csv' | 'ops.xlsx') =>
      h('a', { href: statsLink('dossiers', unit, { ...period, status: list.status }, format), download: true, id: `ops-dossiers-${format}`, class: 'download' }, t(key), h('span', { class: 'visually-hidden' }, `: ${what}`));
    return h('p', { class: 'downloads' }, link('csv', 'ops.csv'), link('xlsx', 'ops.xlsx'));
  }

  async function load(): Promise<void> {
    request?.abort();
    const mine = new AbortController();
    request = mine;
    signal.addEventListener('abort', () => mine.abort(), { once: true });
    body.setAttribute('aria-busy', 'true');
    replace(body, h('p', { class: 'status' }, t('ops.loading')));
    try {
      const list = await getDossierList(unit, period, status, offset, kPage, mine.signal);
      if (mine.signal.aborted) return;
      body.dataset.status = list.status;
      body.dataset.total = String(list.total);
      replace(body, list.items.length ? [table(list), pager(list), downloads(list)] : h('p', { class: 'notice none', id: 'ops-dossiers-none' }, t('ops.list.none')));
    } catch (err) {
      if (isAbort(err) || mine.signal.aborted) return;
      replace(body, h('div', { class: 'alert', role: 'alert', id: 'ops-dossiers-error' }, h('p', null, errorMessage(err))));
    } finally {
      if (request === mine) body.setAttribute('aria-busy', 'false');
    }
  }

  paintChoices();
  void load();
  return {
    element,
    showFigures(f: Figures): void {
      figures = f;
      paintChoices();
    },
    show(s: ListStatus): void {
      choose(s);
      element.scrollIntoView({ block: 'start' });
      choices.querySelector<HTMLElement>(`button[data-status="${s}"]`)?.focus({ preventScroll: true });
    },
  };
}
