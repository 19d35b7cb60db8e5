// The inbox: the dossiers the signed-in person may act on, soonest due first,
// due-soon and overdue flagged (staff), or their own (citizens).

import { errorMessage, inbox, isAbort, type Dossier } from '../api';
import { h, replace } from '../dom';
import { t, type Key } from '../i18n';
import type { PageFactory } from '../router';
import { goLogin, whoAmI } from '../session';
import { formatInstant } from './track';

export const deskPage: PageFactory = (root, url) => {
  let items: Dossier[] = [];
  let error: unknown = null;
  let loaded = false;
  const state = url.searchParams.get('state') ?? '';
  const controller = new AbortController();
  const mine = url.pathname.startsWith('/my');

  async function load(): Promise<void> {
    try {
      if (!(await whoAmI())) return goLogin();
      items = (await inbox({ state: state || undefined }, controller.signal)).items;
      error = null;
    } catch (err) {
      if (isAbort(err)) return;
      error = err;
    }
    loaded = true;
    page.render();
  }

  const page = {
    title: () => `${t(mine ? 'my.title' : 'desk.title')} · motcua`,
    render() {
      const title = h('h1', null, t(mine ? 'my.title' : 'desk.title'));
      if (error) {
        replace(root, title, h('div', { class: 'alert', role: 'alert' }, h('p', null, errorMessage(error))));
        return;
      }
      if (!loaded) {
        replace(root, title, h('p', { class: 'status' }, t('procedures.searching')));
        return;
      }
      const row = (d: Dossier) => {
        const flag = d.overdue ? 'overdue' : d.due_soon ? 'due-soon' : '';
        return h(
          'li',
          { class: `candidate ${flag}`, 'data-state': d.state },
          h('a', { class: 'candidate-name', href: `/dossiers/${encodeURIComponent(d.code || d.id)}` }, `${d.code || t('dossier.no_code')} · ${d.procedure_name || d.procedure_code}`),
          h(
            'p',
            null,
            t(`state.${d.state}` as Key),
            d.due_at ? ` · ${t('track.appointment')}: ${formatInstant(d.due_at)}` : '',
            flag ? h('strong', { class: 'flag' }, ` · ${t(d.overdue ? 'desk.overdue' : 'desk.due_soon')}`) : null,
          ),
        );
      };
      replace(
        root,
        title,
        mine ? null : h('p', null, h('a', { class: 'button primary', href: '/intake', id: 'desk-intake' }, t('nav.intake'))),
        items.length ? h('ul', { class: 'candidates', id: 'desk-list' }, items.map(row)) : h('p', { class: 'notice none', id: 'desk-empty' }, t('desk.empty')),
      );
    },
    destroy() {
      controller.abort();
    },
  };
  void load();
  return page;
};
