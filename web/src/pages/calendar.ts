// The year's calendar as the deadlines count it: holidays of the Labour Code
// (lunar ones computed), days off in lieu, and the government's swapped days.

import { calendarYear, errorMessage, isAbort, type CalendarYear } from '../api';
import { h, replace } from '../dom';
import { formatDate, pick, t, type Key } from '../i18n';
import { setQuery, type PageFactory } from '../router';

export const calendarPage: PageFactory = (root, url) => {
  const now = new Date().getUTCFullYear();
  let year = Number(url.searchParams.get('year') ?? now);
  if (!Number.isInteger(year) || year < 1900 || year > 2100) year = now;
  let data: CalendarYear | null = null;
  let error: unknown = null;
  let controller: AbortController | null = null;

  async function load(): Promise<void> {
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    try {
      data = await calendarYear(year, ctl.signal);
      error = null;
    } catch (err) {
      if (isAbort(err)) return;
      error = err;
    }
    page.render();
  }

  function go(delta: number): void {
    year += delta;
    setQuery({ year: String(year) }, true);
    data = null;
    void load();
  }

  const page = {
    title: () => `${t('calendar.title', { year })} · motcua`,
    render() {
      const nav = h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', id: 'calendar-prev', onclick: () => go(-1) }, `← ${year - 1}`),
        h('button', { type: 'button', id: 'calendar-next', onclick: () => go(1) }, `${year + 1} →`),
      );
      let body: HTMLElement;
      if (error) body = h('div', { class: 'alert', role: 'alert' }, h('p', null, errorMessage(error)));
      else if (!data) body = h('p', { class: 'status' }, t('procedures.searching'));
      else
        body = h(
          'table',
          { id: 'calendar-days' },
          h('caption', null, t('calendar.caption', { year })),
          h(
            'thead',
            null,
            h('tr', null, h('th', { scope: 'col' }, t('calendar.date')), h('th', { scope: 'col' }, t('calendar.day')), h('th', { scope: 'col' }, t('calendar.working'))),
          ),
          h(
            'tbody',
            null,
            data.days.map((d) =>
              h(
                'tr',
                { 'data-kind': d.kind },
                h('th', { scope: 'row' }, formatDate(d.date)),
                h('td', null, pick(d.name_en, d.name_vi) || t(`calendar.kind.${d.kind}` as Key)),
                h('td', null, t(d.working ? 'calendar.yes' : 'calendar.no')),
              ),
            ),
          ),
        );
      replace(root, h('h1', null, t('calendar.title', { year })), h('p', { class: 'lead' }, t('calendar.lead')), nav, body);
    },
    destroy() {
      controller?.abort();
    },
  };
  void load();
  return page;
};
