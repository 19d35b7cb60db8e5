// One procedure: where to go, how to file, the time and fees of each channel,
// the papers to provide, who settles it since 1 July 2025, the legal basis.

import { errorMessage, getBundles, getProcedure, isAbort, paperName, type Bundle, type ProcedureDetail } from '../api';
import { h, replace } from '../dom';
import { t, tEnum, type Key } from '../i18n';
import { showTitle, type PageFactory } from '../router';
import { whoAmI } from '../session';

export const procedurePage: PageFactory = (root, _url, params) => {
  const code = params.code ?? '';
  let detail: ProcedureDetail | null = null;
  let error: unknown = null;
  let canEdit = false;
  let bundles: Bundle[] = [];
  const controller = new AbortController();
  // Catalog administrators get a link to the editor; anyone else, nothing more.
  whoAmI().then(
    (who) => {
      canEdit = !!who?.permissions['catalog.admin'];
      if (canEdit && detail) page.render();
    },
    () => {},
  );

  function body(): (Node | null)[] {
    if (error) {
      return [
        h('h1', null, t('procedures.title')),
        h('div', { class: 'alert', role: 'alert', id: 'procedure-error' }, h('h2', null, t('error.title')), h('p', null, errorMessage(error))),
      ];
    }
    if (!detail) return [h('p', { class: 'status' }, t('procedures.searching'))];
    const p = detail;
    const channels = h(
      'table',
      { id: 'procedure-channels' },
      h('caption', null, t('procedure.channels')),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('procedure.channel')), h('th', { scope: 'col' }, t('procedure.time')), h('th', { scope: 'col' }, t('procedure.fee')))),
      h(
        'tbody',
        null,
        p.channels.map((c) => h('tr', null, h('th', { scope: 'row' }, t(`channel.${c.channel}` as Key)), h('td', null, c.time_text), h('td', null, c.fee_text))),
      ),
    );
    const components = h(
      'ol',
      { id: 'procedure-components' },
      p.components.map((c) =>
        h(
          'li',
          { 'data-requirement': c.requirement },
          h('span', null, paperName(c)),
          c.quantity_text ? h('span', { class: 'hint' }, ` (${c.quantity_text})`) : null,
          c.requirement === 'conditional' && c.condition ? h('p', { class: 'hint' }, `${t('procedure.conditional')}: ${c.condition}`) : null,
        ),
      ),
    );
    const d = p.decentralisation;
    return [
      h('p', null, h('a', { href: '/procedures' }, t('procedure.back'))),
      h('h1', null, p.name),
      canEdit ? h('p', null, h('a', { id: 'procedure-edit', href: `/admin/procedures/${encodeURIComponent(p.code)}` }, t('edit.link'))) : null,
      p.channels.some((c) => c.channel === 'online')
        ? h('p', null, h('a', { class: 'button primary', id: 'procedure-file', href: `/submit/${encodeURIComponent(p.code)}` }, t('procedure.file_online')))
        : null,
      bundles.length
        ? h(
            'section',
            { class: 'notice', id: 'procedure-bundles', 'aria-labelledby': 'procedure-bundles-h' },
            h('h2', { id: 'procedure-bundles-h' }, t('bundle.offer')),
            bundles.map((b) =>
              h(
                'div',
                null,
                h('p', null, b.name),
                h('p', { class: 'hint' }, b.members.map((m) => m.name).join(' · ')),
                h('p', null, h('a', { class: 'button', id: `procedure-bundle-${b.code}`, href: `/submit-bundle/${encodeURIComponent(b.code)}` }, t('bundle.file'))),
              ),
            ),
          )
        : null,
      h(
        'dl',
        { class: 'facts' },
        h('div', null, h('dt', null, t('procedure.code')), h('dd', { class: 'code' }, p.code)),
        h('div', null, h('dt', null, t('procedures.field')), h('dd', null, p.field)),
        h('div', null, h('dt', null, t('procedure.agency')), h('dd', null, p.competent_agency)),
        h('div', null, h('dt', null, t('procedure.online')), h('dd', null, t(`online.${p.online_level}` as Key))),
        d ? h('div', null, h('dt', null, t('procedure.since')), h('dd', null, `${tEnum('level', d.after_level)}: ${d.after_agency}${d.decree ? ` (${d.decree})` : ''}`)) : null,
      ),
      h(
        'section',
        { class: 'notice', id: 'procedure-where', 'aria-labelledby': 'procedure-where-h' },
        h('h2', { id: 'procedure-where-h' }, t('procedure.where')),
        h('p', null, t(p.competent_level === 'province' ? 'procedure.where.province' : 'procedure.where.commune')),
        h('p', null, h('a', { href: '/where' }, t('procedure.where.find'))),
      ),
      channels,
      h('h2', null, t('procedure.components')),
      components,
      p.result ? h('h2', null, t('procedure.result')) : null,
      p.result ? h('p', null, p.result) : null,
      p.legal_basis.length ? h('h2', null, t('procedure.legal')) : null,
      p.legal_basis.length ? h('p', { id: 'procedure-legal' }, p.legal_basis.join(', ')) : null,
    ];
  }

  // The bundles this procedure opens with others: a citizen files them together.
  getBundles(controller.signal).then(
    (got) => {
      bundles = got.items.filter((b) => b.members.some((m) => m.code === code));
      if (bundles.length && detail) page.render();
    },
    () => {},
  );
  getProcedure(code, controller.signal).then(
    (got) => {
      detail = got;
      page.render();
      showTitle(page);
    },
    (err) => {
      if (isAbort(err)) return;
      error = err;
      page.render();
    },
  );

  const page = {
    title: () => `${detail?.name ?? t('procedures.title')} · motcua`,
    render() {
      replace(root, ...body());
    },
    destroy() {
      controller.abort();
    },
  };
  return page;
};
