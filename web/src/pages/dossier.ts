// One dossier as the signed-in person may see it: its facts, the papers, the
// time status, the history timeline, and the actions they may take now.

import { dossierEvents, errorMessage, getDossier, isAbort, type Dossier, type DossierEvent } from '../api';
import { h, replace } from '../dom';
import { t, tEnum, type Key } from '../i18n';
import type { PageFactory } from '../router';
import { goLogin, whoAmI } from '../session';
import { actionForm } from './dossier_actions';
import { formatInstant } from './track';

export const dossierPage: PageFactory = (root, _url, params) => {
  const ref = decodeURIComponent(params.ref ?? '');
  let dossier: Dossier | null = null;
  let events: DossierEvent[] = [];
  let error: unknown = null;
  const controller = new AbortController();

  async function load(): Promise<void> {
    try {
      if (!(await whoAmI())) return goLogin();
      dossier = await getDossier(ref, controller.signal);
      events = (await dossierEvents(dossier.id, controller.signal)).items;
      error = null;
    } catch (err) {
      if (isAbort(err)) return;
      error = err;
    }
    page.render();
  }

  const page = {
    title: () => `${dossier?.code || t('dossier.title')} · motcua`,
    render() {
      if (error) {
        replace(root, h('h1', null, t('dossier.title')), h('div', { class: 'alert', role: 'alert' }, h('p', null, errorMessage(error))));
        return;
      }
      if (!dossier) {
        replace(root, h('p', { class: 'status' }, t('procedures.searching')));
        return;
      }
      const d = dossier;
      const fact = (label: Key, value: string | null | undefined, id?: string) =>
        value ? h('div', null, h('dt', null, t(label)), h('dd', id ? { id } : null, value)) : null;
      const timeline = h(
        'ol',
        { class: 'timeline', id: 'dossier-events' },
        events.map((e) =>
          h('li', { 'data-action': e.action }, h('strong', null, tEnum('action', e.action)), ` · ${formatInstant(e.at)} · `, h('span', { class: 'actor-role' }, tEnum('role', e.actor.role)), e.note ? h('p', null, e.note) : null),
        ),
      );
      const actions = d.allowed_actions.map((a) =>
        actionForm(d, a, (next) => {
          dossier = next;
          void load();
        }),
      );
      replace(
        root,
        h('h1', null, d.procedure_name || d.procedure_code),
        h(
          'dl',
          { class: 'facts' },
          fact('track.label', d.code || t('dossier.no_code')),
          fact('track.state', t(`state.${d.state}` as Key), 'dossier-state'),
          fact('dossier.applicant', d.applicant?.name),
          fact('track.received', formatInstant(d.received_at)),
          fact('track.appointment', formatInstant(d.due_at)),
          fact('dossier.result', d.result?.number, 'dossier-result'),
          fact('dossier.rating', d.rating ? t('dossier.rating_score', { score: d.rating.score }) : null, 'dossier-rating'),
        ),
        actions.length ? h('section', { 'aria-labelledby': 'dossier-actions-h', id: 'dossier-actions' }, h('h2', { id: 'dossier-actions-h' }, t('dossier.actions')), actions) : null,
        h('h2', null, t('dossier.history')),
        timeline,
      );
    },
    destroy() {
      controller.abort();
    },
  };
  void load();
  return page;
};
