// The units browser: search the dated registry, page through it with the
// cursor ("load more"), open a unit.

import { errorMessage, isAbort, provincesAt, searchUnits, type Level, type Unit, type UnitQuery } from '../api';
import { field, h, replace } from '../dom';
import { formatNumber, t, tEnum } from '../i18n';
import { setQuery, type PageFactory } from '../router';

const kPageSize = 50;
const kLevels: Level[] = ['province', 'district', 'commune'];

interface State {
  q: string;
  level: Level | '';
  province: string;
  at: string;
  items: Unit[];
  next: string | null;
  phase: 'idle' | 'loading' | 'more' | 'done' | 'error';
  error: unknown;
  provinces: Unit[];
}

export function unitLink(code: string, at: string | undefined): string {
  return at ? `/units/${encodeURIComponent(code)}?at=${at}` : `/units/${encodeURIComponent(code)}`;
}

export const unitsPage: PageFactory = (root, url) => {
  const p = url.searchParams;
  const level = p.get('level') ?? '';
  const state: State = {
    q: p.get('q') ?? '',
    level: (kLevels as string[]).includes(level) ? (level as Level) : '',
    province: p.get('province') ?? '',
    at: p.get('at') ?? '',
    items: [],
    next: null,
    phase: 'idle',
    error: null,
    provinces: [],
  };
  let controller: AbortController | null = null;
  let listEl: HTMLElement | null = null;
  let statusEl: HTMLElement | null = null;
  let moreEl: HTMLElement | null = null;
  let provinceSelect: HTMLSelectElement | null = null;

  function loadProvinces(): void {
    const at = state.at || undefined;
    provincesAt(at).then(
      (list) => {
        if ((state.at || undefined) !== at) return;
        state.provinces = list;
        fillProvinces();
        showItems(false);
      },
      () => {
        // The filter stays at "all"; the search itself reports errors.
      },
    );
  }

  // The query of the list on screen: "load more" asks for its next page even
  // when the form was edited since (a cursor is good only for its own query).
  let listed: UnitQuery | null = null;

  async function search(append: boolean, push: boolean): Promise<void> {
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    if (!append) {
      setQuery(
        { q: state.q.trim() || null, level: state.level || null, province: state.province || null, at: state.at || null },
        push,
      );
    }
    const firstNew = append ? state.items.length : 0;
    state.phase = append ? 'more' : 'loading';
    showItems(false);
    try {
      const query =
        append && listed
          ? listed
          : { q: state.q.trim(), level: state.level, province: state.province, at: state.at || undefined };
      const page = await searchUnits({ ...query, limit: kPageSize, cursor: append ? state.next : null }, ctl.signal);
      listed = query;
      state.items = append ? state.items.concat(page.items) : page.items;
      state.next = page.next_cursor;
      state.phase = 'done';
      state.error = null;
    } catch (err) {
      if (isAbort(err)) return;
      state.error = err;
      state.phase = 'error';
    }
    if (controller === ctl) controller = null;
    showItems(append);
    if (append && state.phase === 'done') {
      // Keep the keyboard where the new items start.
      const link = listEl?.querySelectorAll<HTMLAnchorElement>('li a')[firstNew];
      link?.focus();
    }
  }

  function provinceName(code: string | null): string {
    if (!code) return '';
    return state.provinces.find((u) => u.code === code)?.full_name ?? code;
  }

  function item(u: Unit): HTMLElement {
    const facts = [tEnum('type', u.unit_type) || tEnum('level', u.level), u.level !== 'province' ? provinceName(u.province_code) : null]
      .filter(Boolean)
      .join(' · ');
    return h(
      'li',
      { class: 'unit-item' },
      h('a', { href: unitLink(u.code, state.at || undefined) }, u.full_name),
      h('span', { class: 'code' }, u.code),
      h('span', { class: 'meta' }, facts),
    );
  }

  function showItems(appended: boolean): void {
    if (!listEl || !statusEl || !moreEl) return;
    if (state.phase === 'error') {
      replace(
        statusEl,
        h('div', { class: 'alert', role: 'alert' }, h('h2', null, t('error.title')), h('p', null, errorMessage(state.error))),
      );
    } else if (state.phase === 'loading') {
      replace(statusEl, h('p', { class: 'status' }, t('units.loading')));
    } else if (state.phase === 'done' || state.phase === 'more') {
      const n = formatNumber(state.items.length);
      replace(
        statusEl,
        h(
          'p',
          { class: 'status', id: 'units-count' },
          state.items.length === 0 ? t('units.empty') : t(state.next ? 'units.count_more' : 'units.count', { n }),
        ),
      );
    } else {
      replace(statusEl);
    }
    if (state.phase === 'loading' || (state.phase === 'error' && !appended)) {
      replace(listEl);
    } else if (appended) {
      const have = listEl.children.length;
      for (const u of state.items.slice(have)) listEl.appendChild(item(u));
    } else {
      replace(listEl, state.items.map(item));
    }
    const canMore = state.next && (state.phase === 'done' || state.phase === 'more' || state.phase === 'error');
    if (canMore) {
      const busy = state.phase === 'more';
      const button = h(
        'button',
        { type: 'button', class: 'secondary', id: 'units-more', 'aria-disabled': busy ? 'true' : null },
        busy ? t('units.loading') : t('units.more'),
      );
      button.addEventListener('click', () => {
        if (state.phase !== 'more') void search(true, false);
      });
      const hadFocus = moreEl.contains(document.activeElement);
      replace(moreEl, button);
      if (hadFocus) button.focus();
    } else {
      replace(moreEl);
    }
  }

  function fillProvinces(): void {
    if (!provinceSelect) return;
    const options = [h('option', { value: '' }, t('units.province.all'))];
    const known = state.provinces.some((u) => u.code === state.province);
    if (state.province && !known) options.push(h('option', { value: state.province }, state.province));
    for (const u of state.provinces) options.push(h('option', { value: u.code }, u.full_name));
    replace(provinceSelect, options);
    provinceSelect.value = state.province;
  }

  loadProvinces();
  void search(false, false);

  return {
    title: () => `${t('units.title')} · motcua`,
    render() {
      const q = h('input', {
        id: 'units-q',
        name: 'q',
        type: 'search',
        autocomplete: 'off',
        spellcheck: 'false',
        maxlength: 500,
        value: state.q,
        'aria-describedby': 'units-q-hint',
      });
      q.addEventListener('input', () => {
        state.q = q.value;
      });
      const levelSelect = h(
        'select',
        { id: 'units-level', name: 'level' },
        h('option', { value: '' }, t('units.level.all')),
        kLevels.map((l) => h('option', { value: l }, tEnum('level', l))),
      );
      levelSelect.value = state.level;
      levelSelect.addEventListener('change', () => {
        state.level = levelSelect.value as Level | '';
      });
      provinceSelect = h('select', { id: 'units-province', name: 'province' });
      provinceSelect.addEventListener('change', () => {
        state.province = provinceSelect!.value;
      });
      fillProvinces();
      const at = h('input', { id: 'units-at', name: 'at', type: 'date', value: state.at, 'aria-describedby': 'units-at-hint' });
      at.addEventListener('change', () => {
        const changed = at.value !== state.at;
        state.at = at.value;
        if (changed) loadProvinces();
      });
      const form = h(
        'form',
        { class: 'search-form', role: 'search', novalidate: true },
        field('units-q', t('units.q'), q, { grow: true, hint: ['units-q-hint', t('units.q_hint')] }),
        field('units-level', t('units.level'), levelSelect),
        field('units-province', t('units.province'), provinceSelect),
        field('units-at', t('units.at'), at, { hint: ['units-at-hint', t('units.at_hint')] }),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('units.submit'))),
      );
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        void search(false, true);
      });
      statusEl = h('div', { 'aria-live': 'polite' });
      listEl = h('ul', { class: 'unit-list', id: 'units-list' });
      moreEl = h('div', { class: 'more' });
      replace(
        root,
        h('h1', null, t('units.title')),
        h('p', { class: 'lead' }, t('units.lead')),
        form,
        h('section', { 'aria-label': t('units.results') }, statusEl, listEl, moreEl),
      );
      showItems(false);
    },
    destroy() {
      controller?.abort();
    },
  };
};
