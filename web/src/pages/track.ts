// Track a dossier by the code on its receipt: the public status, with nothing
// personal in it, as anyone may look it up.

import { ApiError, errorMessage, isAbort, publicStatus, unitLabel, type PublicStatus } from '../api';
import { field, h, replace } from '../dom';
import { lang, t, type Key } from '../i18n';
import { type PageFactory } from '../router';

/** An RFC 3339 time as a local date and time in Vietnam. */
export function formatInstant(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** A code as typed, as the receipt prints it: a dossier code is capital letters, digits, dots and
 * dashes, and people type it in small letters on a phone ("h01.000.04-261207-0003"). Only the
 * letters a to z are raised; anything else is left as typed (and found or not by the server). */
export function asCode(typed: string): string {
  return typed.trim().replace(/[a-z]+/g, (s) => s.toUpperCase());
}

export const trackPage: PageFactory = (root, _url, params) => {
  let code = params.code ?? ''; // decoded by the router
  let status: PublicStatus | null = null;
  let error: unknown = null;
  let loading = false;
  let controller: AbortController | null = null;
  let output: HTMLElement | null = null;
  let input: HTMLInputElement | null = null;

  async function run(push: boolean): Promise<void> {
    const wanted = asCode(code);
    if (!wanted) return;
    // Shown as it is asked: the field and the address hold the code in capitals.
    code = wanted;
    if (input && input.value !== wanted) input.value = wanted;
    if (push) window.history.pushState(null, '', `/track/${encodeURIComponent(wanted)}`);
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    loading = true;
    show();
    try {
      status = await publicStatus(wanted, ctl.signal);
      error = null;
    } catch (err) {
      if (isAbort(err)) return;
      status = null;
      error = err;
    }
    loading = false;
    if (controller === ctl) controller = null;
    show();
  }

  function row(label: Key, value: string, id?: string): HTMLElement | null {
    return value ? h('div', null, h('dt', null, t(label)), h('dd', id ? { id } : null, value)) : null;
  }

  function show(): void {
    if (!output) return;
    // Not found is the common case (a mistyped code): the page says so, and the field is marked.
    const missing = error instanceof ApiError && error.status === 404;
    if (loading) {
      replace(output, h('p', { class: 'status' }, t('track.searching')));
    } else if (error) {
      replace(
        output,
        h(
          'div',
          { class: 'alert', role: 'alert', id: 'track-error' },
          h('h2', null, t(missing ? 'track.not_found' : 'error.title')),
          h('p', null, errorMessage(error)),
          missing ? h('p', null, t('track.check_code')) : null,
        ),
      );
    } else if (status) {
      const s = status;
      replace(
        output,
        h(
          'div',
          { class: 'notice found', id: 'track-status', 'data-state': s.state },
          h('h2', null, t(`state.${s.state}` as Key)),
          h(
            'dl',
            { class: 'facts' },
            row('track.label', s.code),
            row('track.procedure', s.procedure_name || s.procedure_code),
            row('track.unit', unitLabel(s.competent_unit, s.competent_unit_name), 'track-unit'),
            s.receiving_unit !== s.competent_unit ? row('dossier.receiving_unit', unitLabel(s.receiving_unit, s.receiving_unit_name)) : null,
            row('track.received', formatInstant(s.received_at)),
            row('track.appointment', formatInstant(s.appointment), 'track-appointment'),
            row('track.finished', formatInstant(s.finished_at)),
            row('track.returned', formatInstant(s.returned_at)),
          ),
        ),
      );
    } else {
      replace(output);
    }
    if (input) {
      if (missing) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  if (code) void run(false);

  return {
    title: () => `${t('track.title')} · motcua`,
    render() {
      input = h('input', { id: 'track-code', name: 'code', type: 'search', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'characters', maxlength: 64, value: code, required: true });
      input.addEventListener('input', () => {
        code = input!.value;
      });
      const form = h(
        'form',
        { class: 'search-form', role: 'search', novalidate: true },
        field('track-code', t('track.label'), input, { grow: true }),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('track.submit'))),
      );
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        void run(true);
      });
      output = h('div', { id: 'track-result', class: 'result', 'aria-live': 'polite' });
      replace(root, h('h1', null, t('track.title')), h('p', { class: 'lead' }, t('track.lead')), form, h('section', { 'aria-label': t('track.title') }, output));
      show();
    },
    destroy() {
      controller?.abort();
    },
  };
};
