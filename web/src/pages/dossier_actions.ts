// The forms of the one-stop actions, one per action the server says the
// person may take now (allowed_actions). Each sends If-Match with the version
// read, so a stale page gets a clear 412 instead of overwriting.

import { act, errorMessage, getProcedure, paperName, specialists, uploadFile, type Dossier } from '../api';
import { field, h } from '../dom';
import { t, type Key } from '../i18n';

type Field =
  | { kind: 'note'; required?: boolean }
  | { kind: 'lines'; name: 'missing' }
  | { kind: 'text'; name: 'target_unit' | 'tracking_number' | 'result_number' }
  | { kind: 'assignee'; name: 'assignee' }
  | { kind: 'select'; name: 'delivery' | 'result_form' | 'score'; options: string[] }
  | { kind: 'datetime'; name: 'new_due_at' }
  | { kind: 'components' }
  // A file uploaded first, then named in the body: a supplemented paper, the
  // result's file, the apology letter.
  | { kind: 'file'; name: 'paper' | 'result_file' | 'letter'; required?: boolean };

const forms: Record<string, Field[]> = {
  receive: [{ kind: 'components' }],
  request_supplement: [{ kind: 'lines', name: 'missing' }, { kind: 'note' }],
  supplement: [{ kind: 'file', name: 'paper' }],
  refuse: [{ kind: 'note', required: true }],
  forward: [{ kind: 'text', name: 'target_unit' }, { kind: 'note' }],
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
};

/** A <details> with the form of `action`; `done` gets the dossier after it. */
export function actionForm(d: Dossier, action: string, done: (next: Dossier) => void): HTMLElement {
  const id = (name: string) => `act-${action}-${name}`;
  const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
  const boxes: HTMLInputElement[] = [];
  const files = new Map<string, HTMLInputElement>();
  const alert = h('div', { role: 'alert', class: 'action-error' });
  const fields: HTMLElement[] = [];
  for (const f of forms[action] ?? [{ kind: 'note' }]) {
    if (f.kind === 'components') {
      const list = h('ul', { class: 'ticks', id: id('components') });
      fields.push(h('fieldset', null, h('legend', null, t('act.components')), list));
      // The procedure's papers, ticked as seen at the counter.
      void getProcedure(d.procedure_code).then((p) => {
        p.components.forEach((c, i) => {
          const box = h('input', { type: 'checkbox', id: id(`c${i + 1}`), value: `c${i + 1}`, checked: c.requirement === 'mandatory' });
          boxes.push(box);
          list.appendChild(h('li', null, box, h('label', { for: id(`c${i + 1}`) }, paperName(c))));
        });
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
      void specialists(d.competent_unit).then((list) => {
        for (const sp of list.items) select.appendChild(h('option', { value: String(sp.id) }, sp.display_name));
      });
    }
    else el = h('input', { id: id(name) });
    inputs.set(name, el);
    fields.push(field(id(name), t(`act.field.${name}` as Key), el));
  }
  const button = h('button', { type: 'submit', class: 'primary', id: id('submit') }, t(`action.${action}` as Key));
  const form = h('form', { class: 'action-form', novalidate: true }, fields, alert, h('div', { class: 'actions' }, button));
  const value = (name: string) => inputs.get(name)?.value.trim() ?? '';
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    alert.replaceChildren();
    try {
      const body: Record<string, unknown> = {};
      if (value('note')) body.note = value('note');
      if (inputs.has('missing')) body.missing = value('missing').split('\n').map((s) => s.trim()).filter(Boolean);
      for (const k of ['assignee', 'target_unit', 'tracking_number', 'delivery']) if (value(k)) body[k] = value(k);
      if (inputs.has('result_number')) body.result = { number: value('result_number'), form: value('result_form') };
      if (inputs.has('score')) body.score = Number(value('score'));
      if (value('new_due_at')) body.new_due_at = new Date(value('new_due_at')).toISOString();
      if (boxes.length) body.components = boxes.filter((b) => b.checked).map((b) => ({ component_id: b.value, form: 'paper_original' }));
      // Each chosen file is uploaded, then named by its SHA-256.
      const uploaded = async (name: string) => {
        const chosen = files.get(name)?.files?.[0];
        return chosen ? (await uploadFile(chosen)).sha256 : null;
      };
      const paperRef = await uploaded('paper');
      if (paperRef) body.components = [{ component_id: 'c1', form: 'uploaded_file', file_ref: paperRef }];
      const resultRef = await uploaded('result_file');
      if (resultRef && body.result) (body.result as Record<string, unknown>).file_ref = resultRef;
      const letterRef = await uploaded('letter');
      if (letterRef) body.letter_ref = letterRef;
      done(await act(d.id, action, d.version, body));
    } catch (err) {
      alert.replaceChildren(h('p', null, errorMessage(err)));
      button.disabled = false;
    }
  });
  return h('details', { class: 'action', 'data-action': action }, h('summary', null, t(`action.${action}` as Key)), form);
}
