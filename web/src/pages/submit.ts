// The online submission wizard: the applicant and the form, the papers as
// uploads, a review, then the submission. It files one procedure
// (/submit/:code) or a bundle (/submit-bundle/:code: one filing opens a
// dossier for each member procedure, the papers grouped by procedure). The
// draft lives in localStorage under the signed-in account (drafts.ts), so a
// reload loses nothing; its Idempotency-Key makes a retried submission return
// the same dossiers instead of new ones.

import { ApiError, askedOn, errorMessage, getBundles, getProcedure, isAbort, paperName, submitBundle, submitDossier, uploadFile, type Dossier, type ProcedureDetail } from '../api';
import { field, h, replace } from '../dom';
import { draftKey, forgetDrafts } from '../drafts';
import { t } from '../i18n';
import type { PageFactory } from '../router';
import { goLogin, signInAgain, whoAmI } from '../session';
import { applicantBody, applicantFacts, applicantFields, emptyApplicant, type ApplicantTyped } from './applicant';
import { answerFault, applicantStepFault, clearFault, showFault, type Fault } from './submit_checks';

interface Draft {
  step: number; // 0 applicant, 1 papers, 2 review
  key: string;
  unit: string;
  applicant: ApplicantTyped;
  note: string;
  // By paper: its component id for one procedure, "{procedure}/{component id}" in a bundle.
  files: Record<string, { sha256: string; file_name: string }>;
}

type Target = { kind: 'procedure' | 'bundle'; code: string };

const emptyDraft = (): Draft => ({ step: 0, key: crypto.randomUUID(), unit: '', applicant: emptyApplicant(), note: '', files: {} });

function loadDraft(storageKey: string): Draft {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null');
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
  return emptyDraft();
}

/** Whether the server refused the draft's Idempotency-Key as already used for another body: an
 * earlier sending of this filing reached the service (its answer was lost), and the draft changed since. */
function keySpent(err: unknown): boolean {
  return err instanceof ApiError && err.status === 422 && err.param === 'Idempotency-Key';
}

function wizard(target: Target): PageFactory {
  return (root) => {
    // Read once the account is known (load): until then nothing is drawn from it.
    let draft = emptyDraft();
    let storageKey = '';
    const bundle = target.kind === 'bundle';
    let title = '';
    // The procedures filed: one, or a bundle's members in its order.
    let groups: ProcedureDetail[] = [];
    let filed: Dossier[] | null = null;
    let error: unknown = null;
    // An earlier sending of this filing reached the service (keySpent): the draft is no longer
    // stored; what was typed stays on the page only for filing it again as a new dossier.
    let spent = false;
    // The field at fault, said next to it; focus goes to it once, when found.
    let fault: Fault | null = null;
    let focusFault = false;
    // The papers' controls whose file is still uploading.
    const uploading = new Set<string>();
    // The papers' controls whose last file was not uploaded: the file's name and the refusal,
    // said next to the paper in the language chosen at each drawing (a switch keeps them).
    const failed = new Map<string, { file: string; err: unknown }>();
    // The filing in flight: its button is off until the answer (double clicks sent it 2-3 times).
    let sending = false;
    const controller = new AbortController();
    const save = () => {
      if (storageKey && !spent) localStorage.setItem(storageKey, JSON.stringify(draft));
    };
    const fileKey = (procedure: string, cid: string) => (bundle ? `${procedure}/${cid}` : cid);

    function retry(): void {
      error = null;
      page.render();
      void load();
    }

    async function load(): Promise<void> {
      try {
        const who = await whoAmI();
        if (!who) return goLogin();
        // Another account's drafts (a shared computer) and unattributed ones of an earlier release go.
        forgetDrafts(who.user.id);
        storageKey = draftKey(who.user.id, target.kind, target.code);
        draft = loadDraft(storageKey);
        if (bundle) {
          const found = (await getBundles(controller.signal)).items.find((b) => b.code === target.code);
          if (!found) throw new Error(t('bundle.unknown', { code: target.code }));
          title = found.name;
          groups = await Promise.all(found.members.map((m) => getProcedure(m.code, controller.signal)));
        } else {
          groups = [await getProcedure(target.code, controller.signal)];
          title = groups[0]!.name;
        }
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

    // What keeps the person on step n: a field missing or malformed, a file still uploading.
    function stepFault(n: number): Fault | null {
      if (n === 0) return applicantStepFault(draft.unit, draft.applicant);
      const busy = [...uploading][0];
      return n === 1 && busy ? { step: 1, id: busy, say: (label) => t('check.uploading', { label }) } : null;
    }

    function showAt(f: Fault): void {
      fault = f;
      focusFault = true;
      error = null;
      draft.step = f.step;
      save();
      page.render();
    }

    function step(n: number): void {
      // Forward only past steps whose fields hold; back at any time.
      for (let s = draft.step; s < n; s++) {
        const f = stepFault(s);
        if (f) return showAt(f);
      }
      draft.step = n;
      save();
      error = null;
      fault = null;
      page.render();
    }

    // The uploads of one procedure's papers, named by their component ids.
    function given(p: ProcedureDetail) {
      return p.components.flatMap((_, i) => {
        const f = draft.files[fileKey(p.code, `c${i + 1}`)];
        return f ? [{ component_id: `c${i + 1}`, form: 'uploaded_file', file_ref: f.sha256 }] : [];
      });
    }

    async function submit(): Promise<void> {
      if (!groups.length) return;
      // A draft kept from an earlier visit reaches the review without the checks.
      const early = stepFault(0) ?? stepFault(1);
      if (early) return showAt(early);
      if (sending) return;
      const common = { competent_unit: draft.unit.trim(), applicant: applicantBody(draft.applicant), form_data: { note: draft.note } };
      sending = true;
      error = null;
      page.render();
      try {
        if (bundle) {
          const out = await submitBundle(target.code, { ...common, components: Object.fromEntries(groups.map((p) => [p.code, given(p)])) }, draft.key);
          localStorage.removeItem(storageKey);
          filed = out.dossiers;
          sending = false;
          page.render();
          return;
        }
        const d = await submitDossier({ ...common, procedure_code: groups[0]!.code, components: given(groups[0]!) }, draft.key);
        localStorage.removeItem(storageKey);
        // The button stays off: the page is being left for the dossier's own.
        window.location.assign(`/dossiers/${encodeURIComponent(d.id)}`);
      } catch (err) {
        sending = false;
        // A refusal that names a field goes back to it; any other is said above the step.
        const sent = bundle ? [] : given(groups[0]!);
        const f = answerFault(err, (i) => (sent[i] ? `submit-file-${sent[i].component_id}` : null));
        if (f) return showAt(f);
        if (keySpent(err)) {
          spent = true;
          localStorage.removeItem(storageKey);
        }
        error = err;
        page.render();
      }
    }

    // The person chose to file what is on the page again, as a dossier of its own: a new key.
    function fileAgain(): void {
      spent = false;
      error = null;
      draft.key = crypto.randomUUID();
      save();
      page.render();
    }

    // Said instead of the server's refusal when the key was spent: where the earlier filing is,
    // and the choice of filing this one as a new dossier.
    function spentAlert(): HTMLElement {
      return h(
        'div',
        { class: 'alert', role: 'alert', id: 'submit-error', 'data-reason': 'filed-earlier' },
        h('p', null, t('submit.filed_earlier'), ' ', h('a', { href: '/my', id: 'submit-my' }, t('nav.my')), '.'),
        h('p', null, t('submit.file_again_hint')),
        h('div', { class: 'actions' }, h('button', { type: 'button', id: 'submit-again', onclick: fileAgain }, t('submit.file_again'))),
      );
    }

    // What a paper's control says under it: the file uploaded (or uploading), and on a line of
    // its own why the last file chosen was not uploaded.
    function uploadStatus(id: string, key: string): string {
      return uploading.has(id) ? t('submit.uploading') : (draft.files[key]?.file_name ?? '');
    }
    function uploadError(id: string): HTMLElement | null {
      const f = failed.get(id);
      return f ? h('p', { class: 'field-error', role: 'alert', id: `${id}-upload-error` }, t('submit.upload_failed', { file: f.file, text: errorMessage(f.err) })) : null;
    }
    function markFailed(input: HTMLElement, id: string): void {
      const noteId = `${id}-upload-error`;
      const others = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== noteId);
      const described = failed.has(id) ? [...others, noteId] : others;
      if (described.length) input.setAttribute('aria-describedby', described.join(' '));
      else input.removeAttribute('aria-describedby');
      // A field the server refused (showFault) keeps its own mark.
      if (failed.has(id)) input.setAttribute('aria-invalid', 'true');
      else if (fault?.id !== id) input.removeAttribute('aria-invalid');
    }
    // Redraws one paper's status in place (the page may have been drawn again meanwhile, as on a
    // language switch, so its elements are looked up, not held), keeping focus on its control.
    function refreshPaper(id: string, key: string): void {
      const input = root.querySelector<HTMLElement>(`#${CSS.escape(id)}`);
      const status = root.querySelector(`#${CSS.escape(`${id}-status`)}`);
      if (status) status.textContent = uploadStatus(id, key);
      root.querySelector(`#${CSS.escape(`${id}-upload-error`)}`)?.remove();
      const note = uploadError(id);
      if (note && status) status.insertAdjacentElement('afterend', note);
      if (input) markFailed(input, id);
    }

    function papers(p: ProcedureDetail, g: number): HTMLElement {
      // One procedure keeps its ids short (submit-file-c1); a bundle's are per member.
      const prefix = bundle ? `submit-file-m${g + 1}-` : 'submit-file-';
      return h(
        'ol',
        { id: bundle ? `submit-papers-m${g + 1}` : 'submit-papers', class: 'papers-upload' },
        p.components.flatMap((c, i) => {
          // The paper form is the counter's and the post's: online, the e-form.
          if (!askedOn(c, 'online')) return [];
          const id = `${prefix}c${i + 1}`;
          const key = fileKey(p.code, `c${i + 1}`);
          const input = h('input', { type: 'file', id, accept: 'application/pdf,image/jpeg,image/png' });
          markFailed(input, id);
          const status = h('span', { class: 'hint upload-status', id: `${id}-status` }, uploadStatus(id, key));
          input.addEventListener('change', async () => {
            const f = input.files?.[0];
            if (!f) return;
            uploading.add(id);
            failed.delete(id);
            refreshPaper(id, key);
            try {
              const up = await uploadFile(f);
              draft.files[key] = { sha256: up.sha256, file_name: up.file_name || f.name };
              save();
            } catch (err) {
              // The paper keeps the file uploaded before, if any; the one chosen now is not sent.
              failed.set(id, { file: f.name, err });
            }
            uploading.delete(id);
            if (fault?.id === id) {
              fault = null;
              clearFault(root, id);
            }
            refreshPaper(id, key);
          });
          return [h('li', null, h('label', { for: id }, paperName(c)), input, status, uploadError(id))];
        }),
      );
    }

    function done(list: Dossier[]): HTMLElement {
      return h(
        'section',
        { id: 'submit-bundle-done', 'aria-labelledby': 'submit-done-h' },
        h('h2', { id: 'submit-done-h' }, t('bundle.done', { n: list.length })),
        h(
          'ul',
          { class: 'papers' },
          list.map((d) =>
            h('li', { 'data-procedure': d.procedure_code }, h('a', { href: `/dossiers/${encodeURIComponent(d.id)}` }, d.procedure_name || d.procedure_code), ` · ${d.competent_unit_name || d.competent_unit}`),
          ),
        ),
      );
    }

    const heading = () => t(bundle ? 'bundle.title' : 'submit.title');
    const page = {
      title: () => `${heading()} · motcua`,
      render() {
        const alert = spent ? spentAlert() : error ? h('div', { class: 'alert', role: 'alert', id: 'submit-error' }, h('p', null, errorMessage(error)), signInAgain(error)) : null;
        if (filed) {
          replace(root, h('h1', null, heading()), h('p', { class: 'lead' }, title), done(filed));
          return;
        }
        if (!groups.length) {
          // Nothing to file without the procedure: a failed read is offered again.
          const failed = error ? h('div', { class: 'alert', role: 'alert', id: 'submit-error' }, h('p', null, errorMessage(error)), h('button', { type: 'button', id: 'submit-retry', onclick: retry }, t('error.retry'))) : null;
          replace(root, h('h1', null, heading()), failed ?? h('p', { class: 'status' }, t('page.loading')));
          return;
        }
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
            groups.map((p, g) => (bundle ? [h('h2', null, p.name), papers(p, g)] : papers(p, g))),
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
                ...(bundle ? [[t('bundle.title'), groups.map((p) => p.name).join(' · ')]] : []),
                // The fee as the catalog states it for filing online.
                [t('dossier.fees'), groups.map((p) => p.channels.find((c) => c.channel === 'online')?.fee_text || '-').join(' · ')],
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
              // The key is spent: sending again would be refused the same way until a new filing is chosen.
              h('button', { type: 'button', class: 'primary', id: 'submit-send', disabled: spent || sending, onclick: () => void submit() }, t(sending ? 'form.sending' : 'submit.send')),
            ),
          );
        }
        replace(root, h('h1', null, heading()), h('p', { class: 'lead' }, title), nav, alert, body);
        const at = fault?.step === draft.step ? fault : null;
        const control = at ? showFault(root, at) : null;
        if (!at || !control) return;
        // Changing the field takes the mark off; the next step checks it again.
        const clear = () => {
          if (fault === at) fault = null;
          clearFault(root, at.id);
        };
        control.addEventListener('input', clear, { once: true });
        control.addEventListener('change', clear, { once: true });
        if (focusFault) control.focus();
        focusFault = false;
      },
      destroy() {
        controller.abort();
      },
    };
    void load();
    return page;
  };
}

export const submitPage: PageFactory = (root, url, params) => wizard({ kind: 'procedure', code: params.code ?? '' })(root, url, params);
export const bundleSubmitPage: PageFactory = (root, url, params) => wizard({ kind: 'bundle', code: params.code ?? '' })(root, url, params);
