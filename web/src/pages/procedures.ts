// The procedure finder: ranked, accent-insensitive search with the field and
// level facets the API counts, and a link to each procedure's page.

import { errorMessage, isAbort, searchProcedures, type ProcedurePage, type ProcedureSummary } from '../api';
import { field, h, replace } from '../dom';
import { formatNumber, t, tEnum, type Key } from '../i18n';
import { setQuery, type PageFactory } from '../router';

interface State {
  q: string;
  field: string;
  level: string;
  page: ProcedurePage | null;
  items: ProcedureSummary[];
  loading: boolean;
  error: unknown;
}

/** The processing time of the online channel, else the first one that has a time. */
export function headlineTime(p: ProcedureSummary): string {
  const c = p.channels.find((x) => x.channel === 'online' && x.time_text) ?? p.channels.find((x) => x.time_text);
  return c?.time_text ?? '';
}

export const proceduresPage: PageFactory = (root, url) => {
  const state: State = {
    q: url.searchParams.get('q') ?? '',
    field: url.searchParams.get('field') ?? '',
    level: url.searchParams.get('level') ?? '',
    page: null,
    items: [],
    loading: false,
    error: null,
  };
  let controller: AbortController | null = null;
  let output: HTMLElement | null = null;
  let facets: HTMLElement | null = null;

  async function run(push: boolean, more = false): Promise<void> {
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    if (!more) setQuery({ q: state.q.trim() || null, field: state.field || null, level: state.level || null }, push);
    state.loading = true;
    show();
    try {
      const page = await searchProcedures(
        {
          q: state.q.trim(),
          field: state.field,
          level: state.level,
          limit: 20,
          cursor: more ? state.page?.next_cursor : null,
        },
        ctl.signal,
      );
      state.items = more ? state.items.concat(page.items) : page.items;
      state.page = page;
      state.error = null;
    } catch (err) {
      if (isAbort(err)) return;
      state.error = err;
    }
    state.loading = false;
    if (controller === ctl) controller = null;
    show();
  }

  function item(p: ProcedureSummary): HTMLElement {
    return h(
      'li',
      { class: 'candidate' },
      h('a', { class: 'candidate-name', href: `/procedures/${encodeURIComponent(p.code)}` }, p.name),
      h(
        'dl',
        { class: 'facts' },
        h('div', null, h('dt', null, t('procedures.field')), h('dd', null, p.field)),
        h('div', null, h('dt', null, t('procedures.level')), h('dd', null, tEnum('level', p.competent_level))),
        h('div', null, h('dt', null, t('procedure.online')), h('dd', null, t(`online.${p.online_level}` as Key))),
        headlineTime(p) ? h('div', null, h('dt', null, t('procedure.time')), h('dd', null, headlineTime(p))) : null,
      ),
    );
  }

  function select(id: string, label: string, value: string, counts: Record<string, number>, name: (v: string) => string) {
    const el = h(
      'select',
      { id, name: id },
      h('option', { value: '' }, t('procedures.any')),
      Object.entries(counts).map(([v, n]) =>
        h('option', { value: v, selected: v === value }, `${name(v)} (${formatNumber(n)})`),
      ),
    );
    return { el, node: field(id, label, el) };
  }

  function show(): void {
    if (!output || !facets) return;
    output.setAttribute('aria-busy', state.loading ? 'true' : 'false');
    if (state.page) {
      const field = select('procedures-field', t('procedures.field'), state.field, state.page.facets.field, (v) => v);
      const level = select('procedures-level', t('procedures.level'), state.level, state.page.facets.level, (v) => tEnum('level', v));
      field.el.addEventListener('change', () => {
        state.field = field.el.value;
        void run(true);
      });
      level.el.addEventListener('change', () => {
        state.level = level.el.value;
        void run(true);
      });
      replace(facets, field.node, level.node);
    }
    if (state.error) {
      replace(output, h('div', { class: 'alert', role: 'alert', id: 'procedures-error' }, h('h2', null, t('error.title')), h('p', null, errorMessage(state.error))));
      return;
    }
    if (!state.page) {
      replace(output, state.loading ? h('p', { class: 'status' }, t('procedures.searching')) : null);
      return;
    }
    const more = state.page.next_cursor
      ? h('button', { type: 'button', id: 'procedures-more', disabled: state.loading }, t('procedures.more'))
      : null;
    more?.addEventListener('click', () => void run(false, true));
    replace(
      output,
      h('p', { class: 'status', id: 'procedures-count' }, t('procedures.count', { n: formatNumber(state.page.total) })),
      state.items.length
        ? h('ul', { class: 'candidates', id: 'procedures-list' }, state.items.map(item))
        : h('p', { class: 'notice none' }, t('procedures.none')),
      more,
    );
  }

  void run(false);

  return {
    title: () => `${t('procedures.title')} · motcua`,
    render() {
      const input = h('input', {
        id: 'procedures-q',
        name: 'q',
        type: 'search',
        spellcheck: 'false',
        maxlength: 200,
        value: state.q,
        'aria-describedby': 'procedures-hint',
      });
      input.addEventListener('input', () => {
        state.q = input.value;
      });
      const form = h(
        'form',
        { class: 'search-form', role: 'search', novalidate: true },
        field('procedures-q', t('procedures.label'), input, { grow: true, hint: ['procedures-hint', t('procedures.hint')] }),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('procedures.submit'))),
      );
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        void run(true);
      });
      facets = h('div', { class: 'inline-form', id: 'procedures-facets' });
      output = h('div', { id: 'procedures-result', class: 'result', 'aria-live': 'polite' });
      replace(root, h('h1', null, t('procedures.title')), h('p', { class: 'lead' }, t('procedures.lead')), form, facets, h('section', { 'aria-label': t('procedures.title') }, output));
      show();
    },
    destroy() {
      controller?.abort();
    },
  };
};
