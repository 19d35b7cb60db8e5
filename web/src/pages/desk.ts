// The inbox: the dossiers the signed-in person may act on, soonest due first,
// due-soon and overdue flagged (staff), or their own (citizens). Filtered by
// state, channel and procedure (kept in the address, so a filtered list can be
// bookmarked), and paged with the cursor ("load more").

import { errorMessage, inbox, isAbort, promised, type Dossier } from '../api';
import { field, h, replace } from '../dom';
import { formatNumber, t, tEnum } from '../i18n';
import { setQuery, type PageFactory } from '../router';
import { goLogin, may, whoAmI } from '../session';
import { formatInstant } from './track';

const kPageSize = 50;
// The work waiting: a finished dossier (returned, refused, withdrawn) is not in
// the inbox, and is reached by its code.
const kStates = ['draft', 'submitted', 'received', 'waiting_supplement', 'in_progress', 'proposed', 'approved', 'result_issued'];
const kChannels = ['online', 'counter', 'post', 'national_portal'];

interface Filters {
  state: string;
  channel: string;
  procedure: string;
}

export const deskPage: PageFactory = (root, url) => {
  const mine = url.pathname.startsWith('/my');
  const p = url.searchParams;
  const filters: Filters = { state: p.get('state') ?? '', channel: p.get('channel') ?? '', procedure: p.get('procedure') ?? '' };
  let items: Dossier[] = [];
  let next: string | null = null;
  let phase: 'loading' | 'more' | 'done' | 'error' = 'loading';
  let error: unknown = null;
  let controller: AbortController | null = null;
  let statusEl: HTMLElement | null = null;
  let listEl: HTMLElement | null = null;
  let moreEl: HTMLElement | null = null;
  // Opening a dossier at the counter or from the post: only who may file one for an applicant.
  let mayIntake = false;
  let intakeEl: HTMLElement | null = null;

  function showIntake(): void {
    if (intakeEl) replace(intakeEl, mayIntake ? h('a', { class: 'button primary', href: '/intake', id: 'desk-intake' }, t('nav.intake')) : null);
  }

  async function load(append: boolean): Promise<void> {
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    const had = append ? items.length : 0;
    phase = append ? 'more' : 'loading';
    show();
    try {
      const who = await whoAmI();
      if (!who) return goLogin();
      mayIntake = !mine && may(who, 'dossier.submit');
      showIntake();
      const page = await inbox(
        { state: filters.state, channel: filters.channel, procedure: filters.procedure.trim(), limit: kPageSize, cursor: append ? next : null },
        ctl.signal,
      );
      items = append ? items.concat(page.items) : page.items;
      next = page.next_cursor;
      phase = 'done';
      error = null;
    } catch (err) {
      if (isAbort(err)) return;
      error = err;
      phase = 'error';
    }
    if (controller === ctl) controller = null;
    show();
    // Keep the keyboard where the new dossiers start.
    if (append && phase === 'done') listEl?.querySelectorAll<HTMLAnchorElement>('li a')[had]?.focus();
  }

  function row(d: Dossier): HTMLElement {
    const flag = d.overdue ? 'overdue' : d.due_soon ? 'due-soon' : '';
    return h(
      'li',
      { class: `candidate ${flag}`, 'data-state': d.state },
      h('a', { class: 'candidate-name', href: `/dossiers/${encodeURIComponent(d.code || d.id)}` }, `${d.code || t('dossier.no_code')} · ${d.procedure_name || d.procedure_code}`),
      h(
        'p',
        null,
        tEnum('state', d.state),
        // Staff tell dossiers apart by whose they are; a citizen's are all theirs.
        !mine && d.applicant?.name ? ` · ${t('dossier.applicant')}: ${d.applicant.name}` : '',
        promised(d) ? ` · ${t('track.appointment')}: ${formatInstant(promised(d))}` : '',
        flag ? h('strong', { class: 'flag' }, ` · ${t(d.overdue ? 'desk.overdue' : 'desk.due_soon')}`) : null,
      ),
    );
  }

  function show(): void {
    if (!statusEl || !listEl || !moreEl) return;
    if (phase === 'error') {
      // Offered again from where it failed: the first page, or the next one.
      const again = h('button', { type: 'button', id: 'desk-retry', onclick: () => void load(items.length > 0 && next !== null) }, t('error.retry'));
      replace(statusEl, h('div', { class: 'alert', role: 'alert', id: 'desk-error' }, h('p', null, errorMessage(error)), again));
    } else if (phase === 'loading') {
      replace(statusEl, h('p', { class: 'status' }, t('procedures.searching')));
    } else if (items.length === 0) {
      replace(statusEl, h('p', { class: 'notice none', id: 'desk-empty' }, t('desk.empty')));
    } else {
      const n = formatNumber(items.length);
      replace(statusEl, h('p', { class: 'status', id: 'desk-count' }, t(next ? 'desk.count_more' : 'desk.count', { n })));
    }
    if (phase === 'loading' || (phase === 'error' && items.length === 0)) replace(listEl);
    else replace(listEl, items.map(row));
    if (next && phase !== 'loading') {
      const busy = phase === 'more';
      const button = h('button', { type: 'button', class: 'secondary', id: 'desk-more', 'aria-disabled': busy ? 'true' : null }, busy ? t('procedures.searching') : t('desk.more'));
      button.addEventListener('click', () => {
        if (phase !== 'more') void load(true);
      });
      const hadFocus = moreEl.contains(document.activeElement);
      replace(moreEl, button);
      if (hadFocus) button.focus();
    } else {
      replace(moreEl);
    }
  }

  function choice(id: keyof Filters, values: string[], prefix: 'state' | 'ops.channel'): HTMLSelectElement {
    const select = h(
      'select',
      { id: `desk-${id}`, name: id },
      h('option', { value: '' }, t('desk.filter.all')),
      values.map((v) => h('option', { value: v }, tEnum(prefix, v))),
    );
    select.value = filters[id];
    select.addEventListener('change', () => {
      filters[id] = select.value;
    });
    return select;
  }

  void load(false);

  return {
    title: () => `${t(mine ? 'my.title' : 'desk.title')} · motcua`,
    render() {
      const procedure = h('input', { id: 'desk-procedure', name: 'procedure', type: 'search', autocomplete: 'off', spellcheck: 'false', maxlength: 50, value: filters.procedure, 'aria-describedby': 'desk-procedure-hint' });
      procedure.addEventListener('input', () => {
        filters.procedure = procedure.value;
      });
      const form = h(
        'form',
        { class: 'search-form', role: 'search', novalidate: true, id: 'desk-filters' },
        field('desk-state', t('desk.filter.state'), choice('state', kStates, 'state')),
        field('desk-channel', t('dossier.channel'), choice('channel', kChannels, 'ops.channel')),
        field('desk-procedure', t('desk.filter.procedure'), procedure, { hint: ['desk-procedure-hint', t('desk.filter.procedure_hint')] }),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('desk.filter.apply'))),
      );
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        setQuery({ state: filters.state, channel: filters.channel, procedure: filters.procedure.trim() }, true);
        void load(false);
      });
      statusEl = h('div', { 'aria-live': 'polite' });
      listEl = h('ul', { class: 'candidates', id: 'desk-list' });
      moreEl = h('div', { class: 'more' });
      replace(
        root,
        h('h1', null, t(mine ? 'my.title' : 'desk.title')),
        (intakeEl = h('p')),
        form,
        h('section', { 'aria-label': t(mine ? 'my.title' : 'desk.title') }, statusEl, listEl, moreEl),
      );
      show();
      showIntake();
    },
    destroy() {
      controller?.abort();
    },
  };
};
