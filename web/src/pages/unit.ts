// One unit as it was at a date: its dated versions, what it absorbed and, for
// an old unit, where it went.

import { errorMessage, getUnit, isAbort, provincesAt, type Unit, type UnitDetail } from '../api';
import { field, h, replace } from '../dom';
import { formatDate, t, tEnum } from '../i18n';
import { navigate, showTitle, type Page, type PageFactory } from '../router';
import { unitLink } from './units';

function dayBefore(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d! - 1));
  return date.toISOString().slice(0, 10);
}

function range(from: string | null, to: string | null): string {
  return t('date.range', {
    from: from ? formatDate(from) : t('date.open_start'),
    to: to ? formatDate(dayBefore(to)) : t('date.open_end'),
  });
}

export const unitPage: PageFactory = (root, url, params) => {
  const code = params.code ?? '';
  const at = url.searchParams.get('at') ?? '';
  let unit: UnitDetail | null = null;
  let error: unknown = null;
  let loading = true;
  let provinces: Unit[] = [];
  const controller = new AbortController();

  getUnit(code, at || undefined, controller.signal).then(
    (u) => {
      unit = u;
      loading = false;
      render();
      provincesAt(u.at).then(
        (list) => {
          provinces = list;
          render();
        },
        () => {},
      );
    },
    (err) => {
      if (isAbort(err)) return;
      error = err;
      loading = false;
      render();
    },
  );

  function atForm(current: string): HTMLElement {
    const input = h('input', { id: 'unit-at', name: 'at', type: 'date', value: current });
    const form = h(
      'form',
      { class: 'inline-form' },
      field('unit-at', t('unit.at'), input),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t('unit.show'))),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      navigate(input.value ? unitLink(code, input.value) : unitLink(code, undefined));
    });
    return form;
  }

  function fact(label: string, value: Node | string | null): HTMLElement | null {
    if (value === null || value === '') return null;
    return h('div', null, h('dt', null, label), h('dd', null, value));
  }

  function details(u: UnitDetail): (Node | null)[] {
    const province =
      u.level !== 'province' && u.province_code
        ? h('a', { href: unitLink(u.province_code, u.at) }, provinces.find((p) => p.code === u.province_code)?.full_name ?? u.province_code)
        : null;
    const district = u.district_code ? h('a', { href: unitLink(u.district_code, u.at) }, u.district_code) : null;
    const versions = [...u.versions].sort((a, b) => (a.valid_from ?? '').localeCompare(b.valid_from ?? ''));
    const shown = (v: Unit) => v.valid_from === u.valid_from && v.valid_to === u.valid_to;
    const preds = u.predecessors ?? [];
    const succs = u.successors ?? [];
    const before = u.valid_from ? dayBefore(u.valid_from) : undefined;
    return [
      h(
        'p',
        { class: u.in_force ? 'badge ok' : 'badge warn', id: 'unit-status' },
        t(u.in_force ? 'unit.in_force' : 'unit.not_in_force', { date: formatDate(u.at) }),
      ),
      h(
        'dl',
        { class: 'facts wide' },
        fact(t('unit.code'), h('span', { class: 'code' }, u.code)),
        fact(t('unit.level'), tEnum('level', u.level)),
        fact(t('unit.type'), tEnum('type', u.unit_type)),
        fact(t('unit.province'), province),
        fact(t('unit.district'), district),
        fact(t('unit.valid'), range(u.valid_from, u.valid_to)),
      ),
      h(
        'section',
        { 'aria-labelledby': 'unit-versions' },
        h('h2', { id: 'unit-versions' }, t('unit.versions')),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'versions', id: 'versions-table' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, t('unit.versions.name')),
                h('th', { scope: 'col' }, t('unit.versions.type')),
                h('th', { scope: 'col' }, t('unit.versions.from')),
                h('th', { scope: 'col' }, t('unit.versions.to')),
              ),
            ),
            h(
              'tbody',
              null,
              versions.map((v) =>
                h(
                  'tr',
                  { class: shown(v) ? 'current' : null },
                  h(
                    'th',
                    { scope: 'row' },
                    shown(v)
                      ? h('span', { 'aria-current': 'true' }, v.full_name)
                      : h('a', { href: unitLink(u.code, v.valid_from ?? (v.valid_to ? dayBefore(v.valid_to) : undefined)) }, v.full_name),
                  ),
                  h('td', null, tEnum('type', v.unit_type)),
                  h('td', null, v.valid_from ? formatDate(v.valid_from) : t('date.open_start')),
                  h('td', null, v.valid_to ? formatDate(dayBefore(v.valid_to)) : t('date.open_end')),
                ),
              ),
            ),
          ),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'unit-preds' },
        h('h2', { id: 'unit-preds' }, t('unit.predecessors')),
        preds.length
          ? h(
              'ul',
              { class: 'relations', id: 'predecessors' },
              preds.map((p) =>
                h(
                  'li',
                  { 'data-kind': p.kind },
                  h('a', { href: unitLink(p.old_code, before) }, p.old_name),
                  h('span', { class: 'code' }, p.old_code),
                  h('span', { class: `kind kind-${p.kind}` }, tEnum('kind', p.kind)),
                ),
              ),
            )
          : h('p', null, t('unit.predecessors.none')),
      ),
      succs.length
        ? h(
            'section',
            { 'aria-labelledby': 'unit-succs' },
            h('h2', { id: 'unit-succs' }, t('unit.successors')),
            h(
              'ul',
              { class: 'relations', id: 'successors' },
              succs.map((s) =>
                h(
                  'li',
                  { 'data-kind': s.kind },
                  h('a', { href: unitLink(s.new_code, u.valid_to ?? undefined) }, s.new_name),
                  h('span', { class: 'code' }, s.new_code),
                  h('span', { class: `kind kind-${s.kind}` }, tEnum('kind', s.kind)),
                ),
              ),
            ),
          )
        : null,
    ];
  }

  function render(): void {
    const focusInH1 = document.activeElement === root.querySelector('h1');
    const heading = h('h1', null, unit ? unit.full_name : `${t('unit.code')} ${code}`);
    replace(
      root,
      h('p', { class: 'crumbs' }, h('a', { href: at ? `/units?at=${at}` : '/units' }, `← ${t('unit.back')}`)),
      heading,
      atForm(unit?.at ?? at),
      loading ? h('p', { class: 'status', 'aria-live': 'polite' }, t('unit.loading')) : null,
      error
        ? h('div', { class: 'alert', role: 'alert' }, h('h2', null, t('error.title')), h('p', null, errorMessage(error)))
        : null,
      unit ? details(unit) : null,
    );
    showTitle(page);
    if (focusInH1) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }

  const page: Page = {
    title: () => `${unit ? unit.full_name : code} · motcua`,
    render,
    destroy() {
      controller.abort();
    },
  };
  return page;
};
