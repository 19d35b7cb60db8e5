// Intake at the desk: the officer (or the postal agent) finds the procedure,
// says how the dossier came (at the counter or by post), enters the applicant
// (a person or a business), ticks the papers handed in, each an original or
// a copy, and receives the dossier at once; the receipt shows what the
// official "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" states (the receiving
// unit, the dossier code, the papers received with their form and quantity,
// the appointment, the receiving officer) and a QR code of its public status
// page, and prints on one page.

import { act, errorMessage, getDossier, getProcedure, needsDeskAppointment, paperName, searchProcedures, submitDossier, unitLabel, unpaidFees, uploadFile, type Dossier, type ProcedureDetail, type ProcedureSummary } from '../api';
import { field, h, replace } from '../dom';
import { formatNumber, t, tEnum } from '../i18n';
import type { PageFactory } from '../router';
import { goLogin, signInAgain, whoAmI } from '../session';
import { applicantBody, applicantFields, emptyApplicant, type ApplicantTyped } from './applicant';
import { vietnamTime } from './dossier_actions';
import { formatInstant } from './track';

export const intakePage: PageFactory = (root) => {
  let found: ProcedureSummary[] = [];
  let procedure: ProcedureDetail | null = null;
  let received: Dossier | null = null;
  let error: unknown = null;
  let unit = '';
  // The officer signed in, named on the receipt as the one who received it.
  let officer = '';
  let qr = '';
  // What the officer typed and ticked, kept when the page draws again (after
  // a refusal the form must not come back empty).
  const typed: ApplicantTyped = emptyApplicant();
  let seen = new Set<string>();
  let paperForm: Record<string, 'paper_original' | 'paper_copy'> = {};
  // Each paper's scan, if the desk scanned it (the dossier is digitised when every paper has one).
  let scans: Record<string, File> = {};
  // The appointment typed, for a procedure whose catalog entry sets no processing time.
  let appointment = '';
  // A postal agent receives what the post brings; an officer, what is handed in.
  let channel: 'counter' | 'post' = 'counter';
  // The dossier opened for this applicant, and the key it was filed under: a
  // second try after a refused receipt (a paper not ticked) receives the same
  // dossier, and a try whose answer was lost is replayed, not filed twice.
  let attempt: { body: string; key: string; draft: Dossier | null } | null = null;
  // A receipt in flight: the button is off until it is answered (a second click sent a second
  // filing, and a second receipt that the server refused as stale, unseen).
  let sending = false;
  const showSending = () => {
    const button = root.querySelector<HTMLButtonElement>('#intake-receive');
    if (!button) return;
    button.disabled = sending;
    button.textContent = t(sending ? 'form.sending' : 'action.receive');
  };

  void whoAmI().then((who) => {
    if (!who) return goLogin();
    unit = who.user.unit_code ?? '';
    officer = who.user.display_name;
    if (received) page.render();
    if (who.user.roles.includes('postal_agent') && !who.user.roles.includes('receiving_officer')) {
      channel = 'post';
      page.render();
    }
  });

  async function search(q: string): Promise<void> {
    try {
      found = (await searchProcedures({ q, limit: 10 })).items;
      error = null;
    } catch (err) {
      error = err;
    }
    page.render();
  }

  async function pick(code: string): Promise<void> {
    try {
      procedure = await getProcedure(code);
      // Another procedure: its own papers (the mandatory ones ticked), and a dossier of its own.
      seen = new Set(procedure.components.flatMap((c, i) => (c.requirement === 'mandatory' ? [`c${i + 1}`] : [])));
      paperForm = {};
      scans = {};
      appointment = '';
      attempt = null;
      error = null;
    } catch (err) {
      error = err;
    }
    page.render();
  }

  async function receive(): Promise<void> {
    if (!procedure || sending) return;
    sending = true;
    showSending();
    // The last refusal is answered by this sending: it goes, not to be read as this one's.
    error = null;
    root.querySelector('#intake-error')?.remove();
    try {
      await receiveOnce(procedure);
    } finally {
      sending = false;
    }
    page.render();
  }

  async function receiveOnce(procedure: ProcedureDetail): Promise<void> {
    const ticked = procedure.components.map((_, i) => `c${i + 1}`).filter((id) => seen.has(id));
    const filing = {
      procedure_code: procedure.code,
      competent_unit: unit,
      channel,
      applicant: applicantBody(typed),
    };
    const body = JSON.stringify(filing);
    try {
      if (attempt && attempt.body !== body) {
        // The applicant was typed again: the dossier opened for the old
        // details is withdrawn, with why, before one is opened for the new.
        const old = attempt.draft ? await getDossier(attempt.draft.id) : null;
        if (old?.state === 'draft') await act(old.id, 'withdraw', old.version, { note: t('intake.retyped') });
        attempt = null;
      }
      attempt ??= { body, key: crypto.randomUUID(), draft: null };
      // Filed once per applicant as typed; a retry reads the dossier again
      // for its version (a receipt whose answer was lost may have happened).
      attempt.draft = attempt.draft ? await getDossier(attempt.draft.id) : await submitDossier(filing, attempt.key);
      const draft = attempt.draft;
      const components = [];
      for (const c of ticked) {
        const scan = scans[c];
        components.push({ component_id: c, form: paperForm[c] ?? 'paper_original', ...(scan ? { file_ref: (await uploadFile(scan)).sha256 } : {}) });
      }
      const due = procedure && needsDeskAppointment(procedure) && appointment ? { due_at: vietnamTime(appointment) } : {};
      received = draft.state === 'draft' ? await act(draft.id, 'receive', draft.version, { components, ...due }) : draft;
      attempt = null;
      // The QR code library loads only here, not with the citizen pages.
      const QRCode = await import('qrcode');
      qr = await QRCode.toDataURL(`${window.location.origin}/track/${encodeURIComponent(received.code)}`, { margin: 1, width: 160 });
      error = null;
    } catch (err) {
      error = err;
    }
  }

  const page = {
    title: () => `${t('intake.title')} · motcua`,
    render() {
      const alert = error ? h('div', { class: 'alert', role: 'alert', id: 'intake-error' }, h('p', null, errorMessage(error)), signInAgain(error)) : null;
      if (received) {
        const d = received;
        // What the applicant owes at the desk: the fees of the channel not yet paid.
        const due = unpaidFees(d);
        // The papers received, named as the catalog names them (component cN is its Nth paper).
        const papers = procedure?.code === d.procedure_code ? procedure.components : [];
        const paper = (c: Dossier['components'][number]) => {
          const index = /^c(\d+)$/.exec(c.component_id);
          const known = index ? papers[Number(index[1]) - 1] : undefined;
          return h(
            'li',
            { 'data-component': c.component_id },
            h('span', { class: 'paper-name' }, known ? paperName(known) : c.component_id),
            h('div', { class: 'meta' }, t('intake.paper_facts', { form: tEnum('form', c.form ?? 'paper_original'), n: c.quantity ?? 1 })),
          );
        };
        replace(
          root,
          h(
            'section',
            { class: 'receipt', id: 'receipt', 'aria-labelledby': 'receipt-h' },
            h('h1', { id: 'receipt-h' }, t('intake.receipt')),
            h(
              'dl',
              { class: 'facts' },
              h('div', null, h('dt', null, t('intake.receiving_unit')), h('dd', { id: 'receipt-unit' }, unitLabel(d.receiving_unit, d.receiving_unit_name))),
              h('div', null, h('dt', null, t('track.label')), h('dd', { id: 'receipt-code', class: 'code' }, d.code)),
              h('div', null, h('dt', null, t('track.procedure')), h('dd', null, d.procedure_name || d.procedure_code)),
              h('div', null, h('dt', null, t('intake.channel')), h('dd', { id: 'receipt-channel' }, t(d.channel === 'post' ? 'channel.post' : 'channel.counter'))),
              h('div', null, h('dt', null, t('dossier.applicant')), h('dd', null, d.applicant.name)),
              d.applicant.kind === 'business'
                ? h('div', null, h('dt', null, t('applicant.tax_code')), h('dd', { id: 'receipt-applicant-id' }, d.applicant.tax_code ?? ''))
                : h('div', null, h('dt', null, t('submit.id_number')), h('dd', { id: 'receipt-applicant-id' }, d.applicant.id_number ?? '')),
              due > 0 ? h('div', null, h('dt', null, t('dossier.fees')), h('dd', { id: 'receipt-fee' }, t('dossier.fee_due', { amount: formatNumber(due) }))) : null,
              h('div', null, h('dt', null, t('track.received')), h('dd', null, formatInstant(d.received_at))),
              h('div', null, h('dt', null, t('track.appointment')), h('dd', { id: 'receipt-appointment' }, formatInstant(d.due_at))),
              h('div', null, h('dt', null, t('intake.officer')), h('dd', { id: 'receipt-officer' }, officer)),
            ),
            h('h2', { id: 'receipt-papers-h' }, t('intake.papers')),
            h('ol', { class: 'papers', id: 'receipt-papers', 'aria-labelledby': 'receipt-papers-h' }, d.components.map(paper)),
            h('img', { id: 'receipt-qr', src: qr, width: 160, height: 160, alt: t('intake.qr', { code: d.code }) }),
            h('p', { class: 'hint' }, t('intake.qr_hint')),
          ),
          h(
            'div',
            { class: 'actions no-print' },
            h('button', { type: 'button', class: 'primary', id: 'receipt-print', onclick: () => window.print() }, t('intake.print')),
            h('a', { href: `/dossiers/${encodeURIComponent(d.code)}` }, t('intake.open')),
          ),
        );
        return;
      }
      const q = h('input', { id: 'intake-q', type: 'search', required: true });
      const searchForm = h(
        'form',
        { class: 'search-form', role: 'search', novalidate: true },
        field('intake-q', t('procedures.label'), q, { grow: true }),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('procedures.submit'))),
      );
      searchForm.addEventListener('submit', (ev) => {
        ev.preventDefault();
        void search(q.value);
      });
      const list = found.length
        ? h(
            'ul',
            { class: 'candidates', id: 'intake-found' },
            found.map((p) => h('li', null, h('button', { type: 'button', class: 'link', 'data-code': p.code, onclick: () => void pick(p.code) }, `${p.code} · ${p.name}`))),
          )
        : null;
      let applicant: HTMLElement | null = null;
      if (procedure) {
        const channels = (['counter', 'post'] as const).map((c) => {
          const radio = h('input', { type: 'radio', name: 'channel', id: `intake-channel-${c}`, value: c, checked: channel === c });
          radio.addEventListener('change', () => {
            channel = c;
          });
          return h('span', { class: 'choice' }, radio, h('label', { for: `intake-channel-${c}` }, t(`channel.${c}`)));
        });
        const paper = (c: ProcedureDetail['components'][number], i: number) => {
          const id = `c${i + 1}`;
          const tick = h('input', { type: 'checkbox', name: 'seen', id: `intake-${id}`, value: id, checked: seen.has(id) });
          tick.addEventListener('change', () => {
            if (tick.checked) seen.add(id);
            else seen.delete(id);
          });
          const kind = h(
            'select',
            { id: `intake-${id}-form`, 'aria-label': t('intake.paper_form', { paper: paperName(c) }) },
            (['paper_original', 'paper_copy'] as const).map((f) => h('option', { value: f, selected: (paperForm[id] ?? 'paper_original') === f }, t(`form.${f}`))),
          );
          kind.addEventListener('change', () => {
            paperForm[id] = kind.value as 'paper_original' | 'paper_copy';
          });
          const scan = h('input', { type: 'file', id: `intake-${id}-scan`, accept: 'application/pdf,image/jpeg,image/png', 'aria-label': t('intake.scan_of', { paper: paperName(c) }) });
          scan.addEventListener('change', () => {
            const f = scan.files?.[0];
            if (f) scans[id] = f;
            else delete scans[id];
          });
          const scanned = scans[id] ? h('span', { class: 'hint' }, ` ${scans[id]!.name}`) : null;
          return h('li', null, tick, h('label', { for: `intake-${id}` }, paperName(c)), ' ', kind, h('span', { class: 'scan' }, h('span', { 'aria-hidden': 'true' }, t('intake.scan')), ' ', scan, scanned));
        };
        const appointmentField = () => {
          const input = h('input', { id: 'intake-due_at', type: 'datetime-local', required: true, value: appointment });
          input.addEventListener('input', () => {
            appointment = input.value;
          });
          return field('intake-due_at', t('act.field.due_at'), input);
        };
        const form = h(
          'form',
          { class: 'search-form', id: 'intake-form', novalidate: true },
          h('h2', null, procedure.name),
          h('fieldset', { class: 'choices' }, h('legend', null, t('intake.channel')), channels),
          applicantFields('intake', typed, () => {}, () => page.render()),
          h(
            'fieldset',
            null,
            h('legend', null, t('act.components')),
            h(
              'ul',
              { class: 'ticks', id: 'intake-papers' },
              procedure.components.map(paper),
            ),
          ),
          needsDeskAppointment(procedure) ? appointmentField() : null,
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'intake-receive', disabled: sending }, t(sending ? 'form.sending' : 'action.receive'))),
        );
        form.addEventListener('submit', (ev) => {
          ev.preventDefault();
          void receive();
        });
        applicant = form;
      }
      replace(root, h('h1', null, t('intake.title')), alert, searchForm, list, applicant);
    },
  };
  return page;
};
