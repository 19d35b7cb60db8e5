// The forms of the one-stop actions, one per action the server says the
// person may take now (allowed_actions). Each sends If-Match with the version
// read, so a stale page gets a clear 412 instead of overwriting.

import { act, ApiError, errorMessage, getProcedure, getUnit, needsDeskAppointment, paperName, searchUnits, specialists, uploadFile, type Dossier } from '../api';
import { field, h, replace } from '../dom';
import { t, type Key } from '../i18n';
import { isStaff, signInAgain, whoAmI } from '../session';

type Field =
  | { kind: 'note'; required?: boolean }
  | { kind: 'lines'; name: 'missing' }
  | { kind: 'text'; name: 'tracking_number' | 'result_number' | 'receipt' }
  // The units that may settle the dossier: its procedure's level, in the province that received it.
  | { kind: 'unit'; name: 'target_unit' }
  | { kind: 'assignee'; name: 'assignee' }
  | { kind: 'select'; name: 'delivery' | 'result_form' | 'score'; options: string[] }
  | { kind: 'datetime'; name: 'new_due_at' }
  | { kind: 'components' }
  // The appointment the desk writes on the receipt, shown only when the
  // procedure's catalog entry sets no processing time.
  | { kind: 'desk_due' }
  // The procedure's papers to tick as missing (their names go into `missing`).
  | { kind: 'papers_missing' }
  // The papers brought for a supplement: a file for each, or (at the desk) an original seen.
  | { kind: 'papers_given' }
  // A file uploaded first, then named in the body: the result's file, the apology letter.
  | { kind: 'file'; name: 'result_file' | 'letter'; required?: boolean };

const forms: Record<string, Field[]> = {
  receive: [{ kind: 'components' }, { kind: 'desk_due' }],
  request_supplement: [{ kind: 'papers_missing' }, { kind: 'lines', name: 'missing' }, { kind: 'note' }],
  supplement: [{ kind: 'papers_given' }],
  refuse: [{ kind: 'note', required: true }],
  forward: [{ kind: 'unit', name: 'target_unit' }, { kind: 'note' }],
  assign: [{ kind: 'assignee', name: 'assignee' }],
  propose: [{ kind: 'note' }],
  approve: [{ kind: 'note' }],
  send_back: [{ kind: 'note', required: true }],
  issue_result: [
    { kind: 'text', name: 'result_number' },
    { kind: 'select', name: 'result_form', options: ['paper', 'electronic'] },
    { kind: 'file', name: 'result_file' },
  ],
  return_result: [{ kind: 'select', name: 'delivery', options: ['counter', 'post', 'electronic'] }, { kind: 'text', name: 'tracking_number' }],
  withdraw: [{ kind: 'note', required: true }],
  apologise: [{ kind: 'datetime', name: 'new_due_at' }, { kind: 'note', required: true }, { kind: 'file', name: 'letter', required: true }],
  rate: [{ kind: 'select', name: 'score', options: ['5', '4', '3', '2', '1'] }, { kind: 'note' }],
  pay: [{ kind: 'text', name: 'receipt' }],
};

/** A datetime-local value read as Vietnam's wall clock (UTC+7, no summer time),
 * whatever zone the browser is in: the dates promised are Vietnam's. */
export function vietnamTime(local: string): string {
  return new Date(`${local.length === 16 ? `${local}:00` : local}+07:00`).toISOString();
}

/** A <details> with the form of `action`; `done` gets the dossier after it, `changed` is told
 * when the server refused it as sent on a version no longer current (412). */
export function actionForm(d: Dossier, action: string, done: (next: Dossier) => void, changed?: () => void): HTMLElement {
  const id = (name: string) => `act-${action}-${name}`;
  const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
  const boxes: HTMLInputElement[] = [];
  const files = new Map<string, HTMLInputElement>();
  const missingBoxes: HTMLInputElement[] = [];
  // By component id: the file chosen for it, and (staff) the original seen.
  const paperFiles = new Map<string, HTMLInputElement>();
  const paperSeen = new Map<string, HTMLInputElement>();
  const alert = h('div', { role: 'alert', class: 'action-error' });
  const button = h('button', { type: 'submit', class: 'primary', id: id('submit') }, t(`action.${action}` as Key));
  // What the form reads before it can be sent (the procedure's papers, the specialists, the
  // units): an empty list is not "no papers", so the button waits for each, and one that failed
  // is said with a retry (a receipt sent without the papers ticked was refused as incomplete).
  const loads = new Map<() => Promise<void>, 'loading' | 'failed'>();
  let loadFault: unknown = null;
  const loadAlert = h('div', { role: 'alert', class: 'load-error', id: id('load-error') });
  const showLoads = () => {
    const states = [...loads.values()];
    button.disabled = states.length > 0;
    const failed = states.includes('failed') && !states.includes('loading');
    loadAlert.replaceChildren(
      ...(failed
        ? [h('p', null, t('act.load_failed', { text: errorMessage(loadFault) })), h('button', { type: 'button', id: id('retry'), onclick: retryLoads }, t('error.retry'))]
        : []),
    );
  };
  const need = async (fill: () => Promise<void>) => {
    loads.set(fill, 'loading');
    showLoads();
    try {
      await fill();
      loads.delete(fill);
    } catch (err) {
      loadFault = err;
      loads.set(fill, 'failed');
    }
    showLoads();
  };
  function retryLoads(): void {
    for (const [fill, state] of loads) if (state === 'failed') void need(fill);
  }
  const fields: HTMLElement[] = [];
  for (const f of forms[action] ?? [{ kind: 'note' }]) {
    if (f.kind === 'components') {
      const list = h('ul', { class: 'ticks', id: id('components') });
      fields.push(h('fieldset', null, h('legend', null, t('act.components')), list));
      // The procedure's papers, the mandatory ones ticked as seen at the counter,
      // except those already sent online: an original is added only if the officer ticks it.
      const online = new Map((d.components ?? []).filter((x) => x.form === 'uploaded_file' || x.form === 'electronic_original').map((x) => [x.component_id, x.form ?? '']));
      void need(async () => {
        const p = await getProcedure(d.procedure_code);
        p.components.forEach((c, i) => {
          const cid = `c${i + 1}`;
          const sent = online.get(cid);
          const box = h('input', { type: 'checkbox', id: id(cid), value: cid, checked: c.requirement === 'mandatory' && !sent });
          boxes.push(box);
          const note = sent ? ` (${t('act.given_online', { form: t(`form.${sent}` as Key) })})` : '';
          list.appendChild(h('li', { 'data-online': sent ? 'true' : null }, box, h('label', { for: id(cid) }, paperName(c), note)));
        });
      });
      continue;
    }
    if (f.kind === 'desk_due') {
      const input = h('input', { id: id('due_at'), type: 'datetime-local' });
      const wrap = field(id('due_at'), t('act.field.due_at'), input);
      wrap.hidden = true;
      inputs.set('due_at', input);
      fields.push(wrap);
      // The version the dossier was filed under, which the server goes by.
      void need(async () => {
        const p = await getProcedure(d.procedure_code, undefined, d.procedure_version);
        if (!needsDeskAppointment(p)) return;
        wrap.hidden = false;
        input.required = true;
      });
      continue;
    }
    if (f.kind === 'papers_missing') {
      const list = h('ul', { class: 'ticks', id: id('papers') });
      fields.push(h('fieldset', null, h('legend', null, t('act.papers_missing')), list));
      void need(async () => {
        const p = await getProcedure(d.procedure_code);
        p.components.forEach((c, i) => {
          const box = h('input', { type: 'checkbox', id: id(`c${i + 1}`), value: paperName(c) });
          missingBoxes.push(box);
          list.appendChild(h('li', null, box, h('label', { for: id(`c${i + 1}`) }, paperName(c))));
        });
      });
      continue;
    }
    if (f.kind === 'papers_given') {
      // What the open request asked for comes first, marked; any paper may be brought.
      const asked = d.supplements?.at(-1)?.missing ?? [];
      const list = h('ul', { class: 'ticks', id: id('papers') });
      fields.push(h('fieldset', null, h('legend', null, t('act.papers_given')), list));
      void need(async () => {
        const [p, who] = await Promise.all([getProcedure(d.procedure_code), whoAmI()]);
        const rows = p.components.map((c, i) => ({ cid: `c${i + 1}`, name: paperName(c), wanted: asked.includes(paperName(c)) }));
        rows.sort((a, b) => Number(b.wanted) - Number(a.wanted));
        for (const { cid, name, wanted } of rows) {
          const input = h('input', { type: 'file', id: id(`file-${cid}`), accept: 'application/pdf,image/jpeg,image/png' });
          paperFiles.set(cid, input);
          let seen: HTMLElement | null = null;
          if (isStaff(who)) {
            const box = h('input', { type: 'checkbox', id: id(`seen-${cid}`), 'aria-label': t('act.paper_seen', { paper: name }) });
            paperSeen.set(cid, box);
            seen = h('span', { class: 'choice' }, box, h('label', { for: id(`seen-${cid}`) }, t('act.paper_seen_short')));
          }
          list.appendChild(
            h(
              'li',
              { 'data-component': cid, 'data-asked': wanted ? 'true' : null },
              h('p', null, wanted ? h('strong', null, `${t('act.asked')}: `) : null, name),
              h('label', { for: id(`file-${cid}`), class: 'visually-hidden' }, t('act.paper_file', { paper: name })),
              input,
              seen,
            ),
          );
        }
      });
      continue;
    }
    if (f.kind === 'file') {
      const input = h('input', { type: 'file', id: id(f.name), accept: 'application/pdf,image/jpeg,image/png', required: !!f.required });
      files.set(f.name, input);
      fields.push(field(id(f.name), t(`act.file.${f.name}` as Key), input));
      continue;
    }
    const name = f.kind === 'note' ? 'note' : f.name;
    let el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (f.kind === 'note' || f.kind === 'lines') el = h('textarea', { id: id(name), rows: 2, required: f.kind === 'note' && !!f.required });
    else if (f.kind === 'select') el = h('select', { id: id(name) }, f.options.map((o) => h('option', { value: o }, t(`act.${name}.${o}` as Key))));
    else if (f.kind === 'datetime') el = h('input', { id: id(name), type: 'datetime-local' });
    else if (f.kind === 'assignee') {
      // The unit's specialists by name; the choice sends their user id.
      const select = h('select', { id: id(name), required: true });
      el = select;
      void need(async () => {
        const list = await specialists(d.competent_unit);
        for (const sp of list.items) select.appendChild(h('option', { value: String(sp.id) }, sp.display_name));
      });
    }
    else if (f.kind === 'unit') {
      const select = h('select', { id: id(name), required: true });
      el = select;
      void need(async () => {
        const [p, desk] = await Promise.all([getProcedure(d.procedure_code), getUnit(d.receiving_unit)]);
        const province = desk.province_code ?? desk.code;
        const units =
          p.competent_level === 'commune'
            ? (await searchUnits({ province, level: 'commune', limit: 500 })).items
            : [await getUnit(province)];
        units
          .filter((u) => u.code !== d.competent_unit)
          .sort((a, b) => a.full_name.localeCompare(b.full_name, 'vi'))
          .forEach((u) => select.appendChild(h('option', { value: u.code }, `${u.full_name} (${u.code})`)));
      });
    }
    else el = h('input', { id: id(name) });
    inputs.set(name, el);
    fields.push(field(id(name), t(`act.field.${name}` as Key), el));
  }
  const form = h('form', { class: 'action-form', novalidate: true }, fields, loadAlert, alert, h('div', { class: 'actions' }, button));
  const value = (name: string) => inputs.get(name)?.value.trim() ?? '';
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    button.textContent = t('form.sending');
    alert.replaceChildren();
    try {
      const body: Record<string, unknown> = {};
      if (value('note')) body.note = value('note');
      if (inputs.has('missing')) {
        const ticked = missingBoxes.filter((b) => b.checked).map((b) => b.value);
        body.missing = [...ticked, ...value('missing').split('\n').map((s) => s.trim()).filter(Boolean)];
      }
      for (const k of ['assignee', 'target_unit', 'tracking_number', 'delivery', 'receipt']) if (value(k)) body[k] = value(k);
      if (inputs.has('result_number')) body.result = { number: value('result_number'), form: value('result_form') };
      if (inputs.has('score')) body.score = Number(value('score'));
      if (value('new_due_at')) body.new_due_at = vietnamTime(value('new_due_at'));
      if (value('due_at')) body.due_at = vietnamTime(value('due_at'));
      if (boxes.length) body.components = boxes.filter((b) => b.checked).map((b) => ({ component_id: b.value, form: 'paper_original' }));
      // Each chosen file is uploaded, then named by its SHA-256.
      const uploaded = async (name: string) => {
        const chosen = files.get(name)?.files?.[0];
        return chosen ? (await uploadFile(chosen)).sha256 : null;
      };
      if (paperFiles.size) {
        const given: Record<string, unknown>[] = [];
        for (const [cid, input] of paperFiles) {
          const chosen = input.files?.[0];
          if (chosen) given.push({ component_id: cid, form: 'uploaded_file', file_ref: (await uploadFile(chosen)).sha256 });
          if (paperSeen.get(cid)?.checked) given.push({ component_id: cid, form: 'paper_original' });
        }
        body.components = given;
      }
      const resultRef = await uploaded('result_file');
      if (resultRef && body.result) (body.result as Record<string, unknown>).file_ref = resultRef;
      const letterRef = await uploaded('letter');
      if (letterRef) body.letter_ref = letterRef;
      done(await act(d.id, action, d.version, body));
    } catch (err) {
      button.textContent = t(`action.${action}` as Key);
      button.disabled = loads.size > 0;
      // Changed since this page read it (another tab, another officer): the page reads it again
      // and draws this form anew with what was typed, rather than say "reload" and lose it.
      if (err instanceof ApiError && err.status === 412 && changed) return changed();
      replace(alert, h('p', null, errorMessage(err)), signInAgain(err));
    }
  });
  // The id names the form across redraws (form_state.ts), whichever actions come before it.
  return h('details', { class: 'action', id: `act-${action}`, 'data-action': action }, h('summary', null, t(`action.${action}` as Key)), form);
}
