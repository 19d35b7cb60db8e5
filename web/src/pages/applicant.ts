// The applicant's fields, shared by the online wizard and the desk's intake:
// a person (name, 12-digit identification number) or an organisation or
// business (its name and tax code), with phone, email and address. The
// values live in the page's own object, so a redraw (after a refusal, or
// when the kind changes) keeps what was typed.

import { field, h } from '../dom';
import { t } from '../i18n';

export interface ApplicantTyped {
  kind: 'person' | 'business';
  name: string;
  id_number: string;
  tax_code: string;
  phone: string;
  email: string;
  address: string;
}

export function emptyApplicant(): ApplicantTyped {
  return { kind: 'person', name: '', id_number: '', tax_code: '', phone: '', email: '', address: '' };
}

/** What the API takes: the kind's own number, and only the fields given. */
export function applicantBody(a: ApplicantTyped): Record<string, string> {
  const out: Record<string, string> = { kind: a.kind, name: a.name.trim() };
  const put = (k: keyof ApplicantTyped) => {
    const v = a[k].trim();
    if (v) out[k] = v;
  };
  put(a.kind === 'person' ? 'id_number' : 'tax_code');
  put('phone');
  put('email');
  put('address');
  return out;
}

/** Label and value of each field given, for a review or a receipt. */
export function applicantFacts(a: ApplicantTyped): [string, string][] {
  const b = applicantBody(a);
  const label: Record<string, string> = {
    name: a.kind === 'person' ? t('submit.name') : t('applicant.business_name'),
    id_number: t('submit.id_number'),
    tax_code: t('applicant.tax_code'),
    phone: t('submit.phone'),
    email: t('applicant.email'),
    address: t('submit.address'),
  };
  return Object.entries(b)
    .filter(([k]) => k !== 'kind')
    .map(([k, v]) => [label[k]!, v]);
}

/**
 * The fieldset; `prefix` names the inputs' ids (`{prefix}-name`, ...).
 * `changed` is told of each keystroke, `redraw` when the kind changes.
 */
export function applicantFields(prefix: string, a: ApplicantTyped, changed: () => void, redraw: () => void): HTMLElement {
  const input = (k: Exclude<keyof ApplicantTyped, 'kind'>, label: string, attrs: Record<string, string | boolean> = {}) => {
    const el = h('input', { id: `${prefix}-${k}`, name: k, value: a[k], ...attrs });
    el.addEventListener('input', () => {
      a[k] = el.value;
      changed();
    });
    return field(`${prefix}-${k}`, label, el, { grow: true });
  };
  const kinds = (['person', 'business'] as const).map((k) => {
    const radio = h('input', { type: 'radio', name: `${prefix}-kind`, id: `${prefix}-kind-${k}`, value: k, checked: a.kind === k });
    radio.addEventListener('change', () => {
      a.kind = k;
      changed();
      redraw();
    });
    return h('span', { class: 'choice' }, radio, h('label', { for: `${prefix}-kind-${k}` }, t(`applicant.${k}`)));
  });
  const person = a.kind === 'person';
  return h(
    'fieldset',
    { class: 'applicant', id: `${prefix}-applicant` },
    h('legend', null, t('submit.step.applicant')),
    h('fieldset', { class: 'choices' }, h('legend', null, t('applicant.kind')), kinds),
    input('name', person ? t('submit.name') : t('applicant.business_name'), { required: true, autocomplete: person ? 'name' : 'organization' }),
    person
      ? input('id_number', t('submit.id_number'), { required: true, inputmode: 'numeric' })
      : input('tax_code', t('applicant.tax_code'), { required: true, inputmode: 'numeric' }),
    input('phone', t('submit.phone'), { autocomplete: 'tel', inputmode: 'tel' }),
    input('email', t('applicant.email'), { type: 'email', autocomplete: 'email' }),
    input('address', t('submit.address'), { autocomplete: 'street-address' }),
  );
}
