// The online submission's checks: each step's fields before the next step,
// and the API's refusal placed back at the field it names (its `param`, as
// "applicant.id_number" or "components[0].file_ref"). A fault is said under
// the field's label as the person sees it, in the language chosen now.

import { ApiError, errorMessage } from '../api';
import { h } from '../dom';
import { t, type Key } from '../i18n';
import type { ApplicantTyped } from './applicant';

/** A field at fault: the step that holds it, its control's id, and what to say given its label. */
export interface Fault {
  step: number;
  id: string;
  say: (label: string) => string;
}

const said = (key: Key) => (label: string) => t(key, { label });

/** The first field of the applicant step that is missing or malformed; the server checks the rest. */
export function applicantStepFault(unit: string, a: ApplicantTyped): Fault | null {
  const at = (id: string, key: Key): Fault => ({ step: 0, id: `submit-${id}`, say: said(key) });
  if (!unit.trim()) return at('unit', 'check.required');
  if (!a.name.trim()) return at('name', 'check.required');
  const number = (a.kind === 'person' ? a.id_number : a.tax_code).trim();
  const numberId = a.kind === 'person' ? 'id_number' : 'tax_code';
  if (!number) return at(numberId, 'check.required');
  if (a.kind === 'person' && !/^\d{12}$/.test(number)) return at(numberId, 'check.id_number');
  if (a.kind === 'business' && !/^\d{10}(-\d{3})?$/.test(number)) return at(numberId, 'check.tax_code');
  const phone = a.phone.trim().replace(/[ .-]/g, '');
  if (phone && !/^(\+84|84|0)\d{9}$/.test(phone)) return at('phone', 'check.phone');
  const email = a.email.trim();
  if (email && !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email)) return at('email', 'check.email');
  return null;
}

/**
 * The field the API named in a refusal; `paper` gives the control of the
 * i-th paper sent (null in a bundle, whose papers the answer does not place).
 */
export function answerFault(err: unknown, paper: (i: number) => string | null): Fault | null {
  if (!(err instanceof ApiError) || !err.param) return null;
  const param = err.param;
  const say = (label: string) => {
    const text = errorMessage(err);
    // "Field 'competent_unit' is required." names the field by the label instead.
    const quoted = `'${param}'`;
    return text.includes(quoted) ? text.replace(quoted, `“${label}”`) : t('check.named', { label, text });
  };
  if (param === 'competent_unit') return { step: 0, id: 'submit-unit', say };
  const applicant = /^applicant\.(name|id_number|tax_code|phone|email|address)$/.exec(param);
  if (applicant) return { step: 0, id: `submit-${applicant[1]}`, say };
  if (param.startsWith('form_data')) return { step: 0, id: 'submit-note', say };
  const component = /^components\[(\d+)\]/.exec(param);
  const id = component ? paper(Number(component[1])) : null;
  return id ? { step: 1, id, say } : null;
}

/** Marks the fault's control on the page (if it is there) and says why under it; returns the control. */
export function showFault(root: HTMLElement, f: Fault): HTMLElement | null {
  const control = root.querySelector<HTMLElement>(`#${CSS.escape(f.id)}`);
  if (!control) return null;
  const label = (root.querySelector(`label[for="${CSS.escape(f.id)}"]`)?.textContent ?? '').trim();
  const noteId = `${f.id}-error`;
  control.setAttribute('aria-invalid', 'true');
  const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  control.setAttribute('aria-describedby', [noteId, ...described].join(' '));
  control.insertAdjacentElement('afterend', h('p', { class: 'field-error', id: noteId }, f.say(label)));
  return control;
}

/** Takes the mark off again, once the person changes the field. */
export function clearFault(root: HTMLElement, id: string): void {
  const control = root.querySelector<HTMLElement>(`#${CSS.escape(id)}`);
  root.querySelector(`#${CSS.escape(`${id}-error`)}`)?.remove();
  if (!control) return;
  control.removeAttribute('aria-invalid');
  const rest = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== `${id}-error`);
  if (rest.length) control.setAttribute('aria-describedby', rest.join(' '));
  else control.removeAttribute('aria-describedby');
}
