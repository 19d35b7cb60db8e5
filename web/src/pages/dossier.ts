// One dossier as the signed-in person may see it: its facts, the papers, the
// time status, the history timeline, and the actions they may take now.

import { dossierEvents, errorMessage, getDossier, getProcedure, isAbort, orderPayment, paperName, promised, unitLabel, unpaidFees, type Dossier, type DossierEvent, type ProcedureComponent, type User } from '../api';
import { h, replace } from '../dom';
import { formatNumber, t, tEnum, type Key } from '../i18n';
import type { PageFactory } from '../router';
import { captureForms, restoreForms } from '../form_state';
import { goLogin, whoAmI } from '../session';
import { actionForm } from './dossier_actions';
import { formatInstant } from './track';

export const dossierPage: PageFactory = (root, _url, params) => {
  const ref = params.ref ?? ''; // decoded by the router
  let dossier: Dossier | null = null;
  let events: DossierEvent[] = [];
  // The procedure's papers, to name each one the dossier holds (c1 is the
  // first): fetched once, not again when the page reloads after an action.
  let papers: ProcedureComponent[] = [];
  let papersOf = '';
  let error: unknown = null;
  let viewer: User | null = null;
  // The action whose sending found the dossier changed since it was read (412): said above the
  // actions until the next action is taken.
  let changedUnder: string | null = null;
  const controller = new AbortController();

  // The dossier is read again and drawn with its new state and history; the form that was
  // being sent, if its action is still allowed, comes back open with what was typed in it.
  async function reloadChanged(action: string): Promise<void> {
    const open = root.querySelector(`#act-${action}`);
    const typed = open ? captureForms(open) : null;
    changedUnder = action;
    await load();
    const again = root.querySelector<HTMLDetailsElement>(`#act-${action}`);
    if (!again || !typed) return;
    again.open = true;
    restoreForms(again, typed);
  }

  function retry(): void {
    error = null;
    dossier = null;
    page.render();
    void load();
  }

  async function load(): Promise<void> {
    try {
      const who = await whoAmI();
      if (!who) return goLogin();
      viewer = who.user;
      dossier = await getDossier(ref, controller.signal);
      const code = dossier.procedure_code;
      const [history, procedure] = await Promise.all([
        dossierEvents(dossier.id, controller.signal),
        papersOf === code
          ? null
          : getProcedure(code, controller.signal).catch((err: unknown) => {
              if (isAbort(err)) throw err;
              return null; // the papers are then listed by their identifiers
            }),
      ]);
      events = history.items;
      if (procedure) {
        papers = procedure.components;
        papersOf = code;
      }
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
        replace(
          root,
          h('h1', null, t('dossier.title')),
          h('div', { class: 'alert', role: 'alert', id: 'dossier-error' }, h('p', null, errorMessage(error)), h('button', { type: 'button', id: 'dossier-retry', onclick: retry }, t('error.retry'))),
        );
        return;
      }
      if (!dossier) {
        replace(root, h('p', { class: 'status' }, t('page.loading')));
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
      // A file the dossier references, as a download link named for what it is.
      const download = (sha: string | undefined, name: string) =>
        sha && /^[0-9a-f]{64}$/.test(sha)
          ? h('a', { href: `/api/v1/dossiers/${encodeURIComponent(d.code || d.id)}/attachments/${sha}`, download: '', 'aria-label': `${t('dossier.download')}: ${name}` }, t('dossier.download'))
          : null;
      const supplements = d.supplements ?? [];
      const supplement = (r: NonNullable<Dossier['supplements']>[number]) =>
        h(
          'li',
          { 'data-open': r.answered_at ? null : 'true' },
          r.answered_at ? t('dossier.supplement_answered', { at: formatInstant(r.requested_at), answered: formatInstant(r.answered_at) }) : h('strong', null, t('dossier.supplement_open', { at: formatInstant(r.requested_at) })),
          h('ul', null, r.missing.map((m) => h('li', null, m))),
          r.note ? h('p', null, r.note) : null,
        );
      const fees = d.fees ?? [];
      const fee = (f: NonNullable<Dossier['fees']>[number]) => {
        const at = formatInstant(f.paid_at);
        const state = !f.paid
          ? t('dossier.fee_due', { amount: formatNumber(f.amount_vnd) })
          : f.paid_online
            ? t('dossier.fee_paid_online', { amount: formatNumber(f.amount_vnd), at })
            : t('dossier.fee_paid', { amount: formatNumber(f.amount_vnd), at, receipt: f.receipt ?? '' });
        return h('li', { 'data-paid': f.paid ? 'true' : 'false' }, h('span', { class: 'paper-name' }, f.name), ` · ${state}`);
      };
      // The applicant pays what is due online while the dossier is alive; the
      // server decides (and says why not, or that no platform is connected).
      const due = unpaidFees(d);
      const mine = viewer?.kind === 'citizen' && d.applicant_user_id === String(viewer.id);
      const payable = mine && due > 0 && !['draft', 'refused', 'withdrawn', 'returned'].includes(d.state);
      const payAlert = h('div', { class: 'alert', role: 'alert', hidden: true });
      const payButton = h('button', { type: 'button', class: 'primary', id: 'dossier-pay-online' }, t('dossier.pay_online', { amount: formatNumber(due) }));
      payButton.addEventListener('click', () => {
        payButton.disabled = true;
        const back = `${location.origin}/dossiers/${encodeURIComponent(d.code || d.id)}`;
        orderPayment(d.id, back)
          .then((o) => location.assign(o.pay_url))
          .catch((err: unknown) => {
            payButton.disabled = false;
            replace(payAlert, h('p', null, errorMessage(err)));
            payAlert.hidden = false;
          });
      });
      const pay = payable ? h('div', { id: 'dossier-pay' }, h('p', { class: 'hint' }, t('dossier.pay_online_hint')), payAlert, payButton) : null;
      const apologies = d.apologies ?? [];
      const apology = (a: NonNullable<Dossier['apologies']>[number]) => {
        const link = download(a.letter_ref, t('dossier.apology_letter'));
        return h(
          'li',
          null,
          t('dossier.apology_moved', { from: formatInstant(a.previous_due), to: formatInstant(a.new_due) }),
          a.reason ? h('p', null, a.reason) : null,
          link ? h('p', null, `${t('dossier.apology_letter')}: `, link) : null,
        );
      };
      const paper = (c: Dossier['components'][number]) => {
        const index = /^c(\d+)$/.exec(c.component_id);
        const known = index ? papers[Number(index[1]) - 1] : undefined;
        const name = known ? paperName(known) : c.component_id;
        const facts = [tEnum('form', c.form), c.quantity && c.quantity > 1 ? t('dossier.copies', { n: c.quantity }) : ''].filter(Boolean).join(' · ');
        const link = download(c.file_ref, name);
        return h(
          'li',
          { 'data-component': c.component_id },
          h('span', { class: 'paper-name' }, name),
          facts ? h('span', { class: 'meta' }, ` · ${facts}`) : null,
          link ? ' · ' : null,
          link,
        );
      };
      const actions = d.allowed_actions.map((a) =>
        actionForm(
          d,
          a,
          (next) => {
            dossier = next;
            changedUnder = null;
            void load();
          },
          () => void reloadChanged(a),
        ),
      );
      const changedAction = changedUnder ? tEnum('action', changedUnder) : '';
      const changed = changedUnder
        ? h(
            'div',
            { class: 'alert', role: 'alert', id: 'dossier-changed' },
            h('p', null, t('dossier.changed', { state: t(`state.${d.state}` as Key) })),
            h('p', null, t(d.allowed_actions.includes(changedUnder) ? 'dossier.changed_kept' : 'dossier.changed_gone', { action: changedAction })),
          )
        : null;
      replace(
        root,
        h('h1', null, d.procedure_name || d.procedure_code),
        h(
          'dl',
          { class: 'facts' },
          fact('track.label', d.code || t('dossier.no_code')),
          fact('track.state', t(`state.${d.state}` as Key), 'dossier-state'),
          fact('dossier.time', d.time && d.time.status !== 'not_applicable' ? tEnum('time', d.time.status) : null, 'dossier-time'),
          fact('dossier.channel', tEnum('ops.channel', d.channel)),
          fact('track.unit', unitLabel(d.competent_unit, d.competent_unit_name), 'dossier-unit'),
          d.receiving_unit !== d.competent_unit ? fact('dossier.receiving_unit', unitLabel(d.receiving_unit, d.receiving_unit_name)) : null,
          fact('dossier.applicant', d.applicant?.name),
          fact('dossier.id_number', d.applicant?.id_number),
          fact('dossier.tax_code', d.applicant?.tax_code),
          fact('dossier.phone', d.applicant?.phone),
          fact('dossier.email', d.applicant?.email),
          fact('dossier.address', d.applicant?.address),
          fact('track.received', formatInstant(d.received_at)),
          fact('track.appointment', formatInstant(promised(d)), 'dossier-appointment'),
          d.result?.number
            ? h('div', null, h('dt', null, t('dossier.result')), h('dd', { id: 'dossier-result' }, d.result.number, d.result.file_ref ? ' · ' : null, download(d.result.file_ref, d.result.number)))
            : null,
          fact('dossier.rating', d.rating ? t('dossier.rating_score', { score: d.rating.score }) : null, 'dossier-rating'),
          fact('dossier.digitised', d.digitised ? t('dossier.digitised_yes') : null, 'dossier-digitised'),
        ),
        d.components.length ? h('h2', null, t('dossier.papers')) : null,
        d.components.length ? h('ul', { class: 'papers', id: 'dossier-papers' }, d.components.map(paper)) : null,
        fees.length ? h('h2', null, t('dossier.fees')) : null,
        fees.length ? h('ul', { class: 'papers', id: 'dossier-fees' }, fees.map(fee)) : null,
        pay,
        supplements.length ? h('h2', null, t('dossier.supplements')) : null,
        supplements.length ? h('ul', { class: 'papers', id: 'dossier-supplements' }, supplements.map(supplement)) : null,
        apologies.length ? h('h2', null, t('dossier.apologies')) : null,
        apologies.length ? h('ul', { class: 'papers', id: 'dossier-apologies' }, apologies.map(apology)) : null,
        changed,
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
