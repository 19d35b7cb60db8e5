// The catalog editor for one procedure: its name, field, online level and
// result, and each channel's time and fee. Saving makes a new version (the
// dossiers filed under the old one keep it); a stale page gets 412, a bad
// field gets 400 naming it, and nothing changes.

import { ApiError, errorMessage, getProcedure, isAbort, updateProcedure, type ProcedureChannel, type ProcedureDetail } from '../api';
import { field, h, replace } from '../dom';
import { t, type Key } from '../i18n';
import type { PageFactory } from '../router';
import { goLogin, whoAmI } from '../session';

type TimeUnit = ProcedureChannel['time_unit'];
const kTimeUnits = ['working_days', 'working_hours', 'calendar_days'] as const;

/** A VND amount as written in Vietnam: digits, thousands grouped (or not) by
 * one kind of mark, "60.000", "60,000" or "60 000". Empty is "no amount". */
function parseVnd(typed: string): number | null | 'bad' {
  const v = typed.trim();
  if (v === '') return null;
  if (!/^\d+$/.test(v) && !/^\d{1,3}([., \u00a0])\d{3}(\1\d{3})*$/.test(v)) return 'bad';
  const n = Number(v.replace(/\D/g, ''));
  return Number.isSafeInteger(n) ? n : 'bad';
}

// The public texts, in Vietnamese as the catalog publishes them.
function feeText(n: number): string {
  return n === 0 ? 'Miễn phí' : `${String(n).replace(/\B(?=(\d{3})+$)/g, '.')} đồng`;
}

function timeText(n: number, unit: TimeUnit): string | null {
  if (unit === 'working_days') return `${n} ngày làm việc`;
  if (unit === 'working_hours') return `${n} giờ làm việc`;
  return unit === 'calendar_days' ? `${n} ngày` : null;
}

export const procedureEditPage: PageFactory = (root, _url, params) => {
  const code = params.code ?? '';
  // By channel: whether the editor wrote the fee or time text by hand (then it is theirs, not regenerated).
  let wrote: { fee: boolean; time: boolean }[] = [];
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
      wrote = p.channels.map(() => ({ fee: false, time: false }));
      error = null;
    } catch (err) {
      if (isAbort(err)) return;
      error = err;
    }
    page.render();
  }

  const feeId = (i: number) => `edit-channels-${i}--fee_vnd`;

  function markFee(i: number, bad: boolean): void {
    const el = root.querySelector<HTMLInputElement>(`#${feeId(i)}`);
    const note = root.querySelector(`#${feeId(i)}-error`);
    if (!el || !note) return;
    if (bad) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
    note.textContent = bad ? t('edit.fee_bad') : '';
  }

  type Input = (name: string, value: string, label: string) => HTMLElement;

  /** One channel's time and fee; the public texts follow the numbers until written by hand. */
  function channelFields(c: ProcedureChannel, i: number, input: Input): HTMLElement {
    const at = (name: string) => `channels[${i}].${name}`;
    const amount = input(at('time_amount'), String(c.time_amount ?? ''), t('edit.time_amount'));
    const unit = h(
      'select',
      { id: `edit-channels-${i}--time_unit`, name: at('time_unit') },
      h('option', { value: '' }, t('edit.time_unit.none')),
      kTimeUnits.map((u) => h('option', { value: u, selected: u === c.time_unit }, t(`edit.time_unit.${u}`))),
    );
    const time = input(at('time_text'), c.time_text, t('procedure.time'));
    const fee = input(at('fee_vnd'), String(c.fee_vnd ?? ''), t('edit.fee_vnd'));
    const feeInput = fee.querySelector('input')!;
    feeInput.setAttribute('aria-describedby', `${feeId(i)}-error`);
    fee.appendChild(h('p', { class: 'field-error', id: `${feeId(i)}-error` }));
    const text = input(at('fee_text'), c.fee_text, t('procedure.fee'));
    const timeBox = time.querySelector('input')!;
    const textBox = text.querySelector('input')!;
    for (const [box, hintId] of [[timeBox, `edit-channels-${i}--time_text-hint`], [textBox, `edit-channels-${i}--fee_text-hint`]] as const) {
      box.setAttribute('aria-describedby', hintId);
      box.parentElement!.appendChild(h('p', { class: 'hint', id: hintId }, t('edit.text_hint')));
    }
    const amountBox = amount.querySelector('input')!;
    const followTime = () => {
      const n = Number(amountBox.value.trim());
      const text = amountBox.value.trim() && Number.isSafeInteger(n) && n > 0 ? timeText(n, (unit.value || null) as TimeUnit) : null;
      if (text && !wrote[i]?.time) timeBox.value = text;
    };
    amountBox.addEventListener('input', followTime);
    unit.addEventListener('change', followTime);
    feeInput.addEventListener('input', () => {
      const n = parseVnd(feeInput.value);
      if (typeof n === 'number' && !wrote[i]?.fee) textBox.value = feeText(n);
      if (n !== 'bad') markFee(i, false);
    });
    timeBox.addEventListener('input', () => {
      if (wrote[i]) wrote[i].time = true;
    });
    textBox.addEventListener('input', () => {
      if (wrote[i]) wrote[i].fee = true;
    });
    return h('fieldset', null, h('legend', null, t(`channel.${c.channel}` as Key)), amount, field(unit.id, t('edit.time_unit'), unit), time, fee, text);
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
      const channels = proc.channels.map((c, i) => channelFields(c, i, input));
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
        // An amount the page cannot read is refused here, at its field: nothing is sent.
        const fees = proc.channels.map((_c, i) => parseVnd(v(`channels[${i}].fee_vnd`)));
        const bad = fees.findIndex((f) => f === 'bad');
        fees.forEach((f, i) => markFee(i, f === 'bad'));
        if (bad >= 0) {
          form.querySelector<HTMLInputElement>(`#${feeId(bad)}`)?.focus();
          return;
        }
        const next: ProcedureDetail = {
          ...proc,
          name: v('name').trim(),
          field: v('field').trim(),
          online_level: v('online_level') as ProcedureDetail['online_level'],
          result: v('result'),
          channels: proc.channels.map((c, i) => ({
            ...c,
            time_amount: num(v(`channels[${i}].time_amount`)),
            time_unit: (v(`channels[${i}].time_unit`) || null) as TimeUnit,
            time_text: v(`channels[${i}].time_text`),
            fee_vnd: fees[i] as number | null,
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
