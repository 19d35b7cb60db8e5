// The catalog editor for one procedure: its name, field, online level and
// result, and each channel's time and fee. Saving makes a new version (the
// dossiers filed under the old one keep it); a stale page gets 412, a bad
// field gets 400 naming it, and nothing changes.

import { ApiError, errorMessage, getProcedure, isAbort, updateProcedure, type ProcedureDetail } from '../api';
import { field, h, replace } from '../dom';
import { t, type Key } from '../i18n';
import type { PageFactory } from '../router';
import { goLogin, whoAmI } from '../session';

export const procedureEditPage: PageFactory = (root, _url, params) => {
  const code = decodeURIComponent(params.code ?? '');
  let p: ProcedureDetail | null = null;
  let version = 0;
  let error: unknown = null;
  let saved = false;
  const controller = new AbortController();

  async function load(): Promise<void> {
    try {
      if (!(await whoAmI())) return goLogin();
      p = await getProcedure(code, controller.signal);
      version = p.version;
      error = null;
    } catch (err) {
      if (isAbort(err)) return;
      error = err;
    }
    page.render();
  }

  const page = {
    title: () => `${t('edit.title')} · motcua`,
    render() {
      const title = h('h1', null, t('edit.title'));
      if (!p) {
        replace(root, title, error ? h('div', { class: 'alert', role: 'alert' }, h('p', null, errorMessage(error))) : h('p', { class: 'status' }, t('procedures.searching')));
        return;
      }
      const proc = p;
      const bad = error instanceof ApiError ? error.param ?? '' : '';
      const input = (name: string, value: string, label: string, tag: 'input' | 'textarea' = 'input') => {
        const attrs: Record<string, string | boolean> = { id: `edit-${name.replace(/[.[\]]/g, '-')}`, name, value, 'aria-invalid': bad === name ? 'true' : false };
        const el = tag === 'input' ? h('input', attrs) : h('textarea', { ...attrs, rows: 3 }, value);
        return field(attrs.id as string, label, el, { grow: true });
      };
      const channels = proc.channels.map((c, i) =>
        h(
          'fieldset',
          null,
          h('legend', null, t(`channel.${c.channel}` as Key)),
          input(`channels[${i}].time_amount`, String(c.time_amount ?? ''), t('edit.time_amount')),
          input(`channels[${i}].fee_vnd`, String(c.fee_vnd ?? ''), t('edit.fee_vnd')),
          input(`channels[${i}].fee_text`, c.fee_text, t('procedure.fee')),
        ),
      );
      const online = h(
        'select',
        { id: 'edit-online_level', name: 'online_level' },
        ['full', 'partial', 'none'].map((o) => h('option', { value: o, selected: o === proc.online_level }, t(`online.${o}` as Key))),
      );
      const form = h(
        'form',
        { class: 'search-form', id: 'edit-form', novalidate: true },
        h('p', null, `${t('procedure.code')}: ${proc.code} · ${t('edit.version', { n: version })}`),
        input('name', proc.name, t('edit.name')),
        input('field', proc.field, t('procedures.field')),
        field('edit-online_level', t('procedure.online'), online),
        input('result', proc.result, t('procedure.result'), 'textarea'),
        channels,
        error ? h('div', { class: 'alert', role: 'alert', id: 'edit-error' }, h('p', null, errorMessage(error))) : null,
        saved ? h('p', { class: 'notice found', id: 'edit-saved' }, t('edit.saved', { n: version })) : null,
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'edit-save' }, t('edit.save')), h('a', { href: `/procedures/${encodeURIComponent(proc.code)}` }, t('procedure.back'))),
      );
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const v = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value;
        const num = (s: string) => (s.trim() === '' ? null : Number(s));
        const next: ProcedureDetail = {
          ...proc,
          name: v('name').trim(),
          field: v('field').trim(),
          online_level: v('online_level') as ProcedureDetail['online_level'],
          result: v('result'),
          channels: proc.channels.map((c, i) => ({
            ...c,
            time_amount: num(v(`channels[${i}].time_amount`)),
            fee_vnd: num(v(`channels[${i}].fee_vnd`)),
            fee_text: v(`channels[${i}].fee_text`),
          })),
        };
        try {
          const out = await updateProcedure(next, version);
          p = out;
          version = out.version;
          saved = true;
          error = null;
        } catch (err) {
          error = err;
          saved = false;
          // The form draws again with what was typed, the refused field marked.
          p = next;
        }
        page.render();
      });
      replace(root, title, h('p', { class: 'lead' }, proc.name), form);
    },
    destroy() {
      controller.abort();
    },
  };
  void load();
  return page;
};
