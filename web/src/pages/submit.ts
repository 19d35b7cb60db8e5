// The online submission wizard: the applicant and the form, the papers as
// uploads, a review, then the submission. The draft lives in localStorage, so
// a reload loses nothing; its Idempotency-Key makes a retried submission
// return the same dossier instead of a second one.

import { errorMessage, getProcedure, isAbort, paperName, submitDossier, uploadFile, type ProcedureDetail } from '../api';
import { field, h, replace } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';
import { goLogin, whoAmI } from '../session';
import { applicantBody, applicantFacts, applicantFields, emptyApplicant, type ApplicantTyped } from './applicant';

interface Draft {
  step: number; // 0 applicant, 1 papers, 2 review
  key: string;
  unit: string;
  applicant: ApplicantTyped;
  note: string;
  files: Record<string, { sha256: string; file_name: string }>; // by component id
}

const storageKey = (code: string) => `motcua.draft.${code}`;

function loadDraft(code: string): Draft {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(code)) ?? 'null');
    if (saved && typeof saved === 'object' && typeof saved.key === 'string') {
      // A draft saved before the applicant had a kind kept its fields at the top.
      const a = saved.applicant ?? saved;
      const applicant = emptyApplicant();
      for (const k of Object.keys(applicant) as (keyof ApplicantTyped)[]) if (typeof a[k] === 'string') (applicant as unknown as Record<string, string>)[k] = a[k];
      if (applicant.kind !== 'business') applicant.kind = 'person';
      return { ...(saved as Draft), applicant };
    }
  } catch {
    /* a broken draft starts over */
  }
  return { step: 0, key: crypto.randomUUID(), unit: '', applicant: emptyApplicant(), note: '', files: {} };
}

export const submitPage: PageFactory = (root, _url, params) => {
  const code = decodeURIComponent(params.code ?? '');
  const draft = loadDraft(code);
  let procedure: ProcedureDetail | null = null;
  let error: unknown = null;
  const controller = new AbortController();
  const save = () => localStorage.setItem(storageKey(code), JSON.stringify(draft));

  async function load(): Promise<void> {
    try {
      const who = await whoAmI();
      if (!who) return goLogin();
      procedure = await getProcedure(code, controller.signal);
      if (!draft.applicant.name) draft.applicant.name = who.user.display_name;
      if (!draft.applicant.id_number) draft.applicant.id_number = (who.user as { id_number?: string }).id_number ?? '';
    } catch (err) {
      if (isAbort(err)) return;
      error = err;
    }
    page.render();
  }

  function text(id: 'unit' | 'note', label: string, attrs: Record<string, string | number | boolean> = {}): HTMLElement {
    const input = h('input', { id: `submit-${id}`, value: draft[id], ...attrs });
    input.addEventListener('input', () => {
      draft[id] = input.value;
      save();
    });
    return field(`submit-${id}`, label, input, { grow: true });
  }

  function step(n: number): void {
    draft.step = n;
    save();
    error = null;
    page.render();
  }

  async function submit(): Promise<void> {
    if (!procedure) return;
    try {
      const d = await submitDossier(
        {
          procedure_code: procedure.code,
          competent_unit: draft.unit.trim(),
          applicant: applicantBody(draft.applicant),
          form_data: { note: draft.note },
          components: Object.entries(draft.files).map(([id, f]) => ({ component_id: id, form: 'uploaded_file', file_ref: f.sha256 })),
        },
        draft.key,
      );
      localStorage.removeItem(storageKey(code));
      window.location.assign(`/dossiers/${encodeURIComponent(d.id)}`);
    } catch (err) {
      error = err;
      page.render();
    }
  }

  const page = {
    title: () => `${t('submit.title')} · motcua`,
    render() {
      const alert = error ? h('div', { class: 'alert', role: 'alert', id: 'submit-error' }, h('p', null, errorMessage(error))) : null;
      if (!procedure) {
        replace(root, h('h1', null, t('submit.title')), alert ?? h('p', { class: 'status' }, t('procedures.searching')));
        return;
      }
      const p = procedure;
      const steps = [t('submit.step.applicant'), t('submit.step.papers'), t('submit.step.review')];
      const nav = h('ol', { class: 'steps', id: 'submit-steps' }, steps.map((s, i) => h('li', { 'aria-current': i === draft.step ? 'step' : null }, s)));
      let body: HTMLElement;
      if (draft.step === 0) {
        body = h(
          'div',
          null,
          text('unit', t('submit.unit'), { required: true, 'aria-describedby': 'submit-unit-hint' }),
          h('p', { class: 'hint', id: 'submit-unit-hint' }, t('submit.unit_hint'), ' ', h('a', { href: '/where' }, t('nav.where'))),
          applicantFields('submit', draft.applicant, save, () => page.render()),
          text('note', t('submit.note')),
          h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'submit-next', onclick: () => step(1) }, t('submit.next'))),
        );
      } else if (draft.step === 1) {
        body = h(
          'div',
          null,
          h(
            'ol',
            { id: 'submit-papers' },
            p.components.map((c, i) => {
              const id = `c${i + 1}`;
              const input = h('input', { type: 'file', id: `submit-file-${id}`, accept: 'application/pdf,image/jpeg,image/png' });
              const status = h('span', { class: 'hint', id: `submit-file-${id}-status` }, draft.files[id]?.file_name ?? '');
              input.addEventListener('change', async () => {
                const f = input.files?.[0];
                if (!f) return;
                status.textContent = t('submit.uploading');
                try {
                  const up = await uploadFile(f);
                  draft.files[id] = { sha256: up.sha256, file_name: up.file_name || f.name };
                  save();
                  status.textContent = draft.files[id]!.file_name;
                } catch (err) {
                  status.textContent = errorMessage(err);
                }
              });
              return h('li', null, h('label', { for: `submit-file-${id}` }, paperName(c)), input, status);
            }),
          ),
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', onclick: () => step(0) }, t('submit.back')),
            h('button', { type: 'button', class: 'primary', id: 'submit-next', onclick: () => step(2) }, t('submit.next')),
          ),
        );
      } else {
        body = h(
          'div',
          null,
          h(
            'dl',
            { class: 'facts', id: 'submit-review' },
            [
              [t('submit.unit'), draft.unit],
              [t('applicant.kind'), t(`applicant.${draft.applicant.kind}`)],
              ...applicantFacts(draft.applicant),
              [t('submit.step.papers'), Object.values(draft.files).map((f) => f.file_name).join(', ') || '-'],
            ].map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))),
          ),
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', onclick: () => step(1) }, t('submit.back')),
            h('button', { type: 'button', class: 'primary', id: 'submit-send', onclick: () => void submit() }, t('submit.send')),
          ),
        );
      }
      replace(root, h('h1', null, t('submit.title')), h('p', { class: 'lead' }, p.name), nav, alert, body);
    },
    destroy() {
      controller.abort();
    },
  };
  void load();
  return page;
};
