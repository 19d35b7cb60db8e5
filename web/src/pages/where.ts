// "Tôi nộp hồ sơ ở đâu? / Where do I go now?": an old address in, the new
// commune and province out, with what happened to the old commune.

import { ApiError, errorMessage, getUnit, isAbort, resolveAddress, type Candidate, type Resolution } from '../api';
import { field, h, replace } from '../dom';
import { formatNumber, pick, t, tEnum } from '../i18n';
import { setQuery, type PageFactory } from '../router';

type Phase = 'idle' | 'loading' | 'done' | 'error';

interface State {
  q: string;
  at: string;
  phase: Phase;
  result: Resolution | null;
  oldName: string | null; // the old commune's name (from the new unit's predecessors), or the old district's
  error: unknown;
}

function unitHref(code: string, at: string | undefined): string {
  return at ? `/units/${code}?at=${at}` : `/units/${code}`;
}

export const wherePage: PageFactory = (root, url) => {
  const state: State = {
    q: url.searchParams.get('q') ?? '',
    at: url.searchParams.get('at') ?? '',
    phase: 'idle',
    result: null,
    oldName: null,
    error: null,
  };
  let controller: AbortController | null = null;
  let input: HTMLInputElement | null = null;
  let output: HTMLElement | null = null;

  async function run(push: boolean): Promise<void> {
    controller?.abort();
    const q = state.q.trim();
    setQuery({ q: q || null, at: state.at || null }, push);
    if (!q) {
      state.phase = 'idle';
      state.result = null;
      state.error = null;
      showResult();
      return;
    }
    const ctl = new AbortController();
    controller = ctl;
    state.phase = 'loading';
    state.oldName = null;
    showResult();
    try {
      const result = await resolveAddress(q, state.at || undefined, ctl.signal);
      let oldName: string | null = null;
      const first = result.candidates[0];
      const from = result.split ? (result.candidates.find((c) => c.via?.kind === 'partial') ?? first) : first;
      const oldCode = from?.via?.old_commune_code;
      const oldDistrict = result.split && !oldCode ? from?.via?.old_district_code : null;
      if (from && oldCode) {
        // The new unit lists what it absorbed: that gives the old commune's name.
        try {
          const detail = await getUnit(from.code, result.at, ctl.signal);
          oldName = detail.predecessors.find((p) => p.old_code === oldCode)?.old_name ?? null;
        } catch (err) {
          if (isAbort(err)) throw err;
        }
      } else if (oldDistrict) {
        // A divided old district: its own record gives its name.
        try {
          oldName = (await getUnit(oldDistrict, result.at, ctl.signal)).full_name;
        } catch (err) {
          if (isAbort(err)) throw err;
        }
      }
      state.result = result;
      state.oldName = oldName;
      state.error = null;
      state.phase = 'done';
    } catch (err) {
      if (isAbort(err)) return;
      state.result = null;
      state.error = err;
      state.phase = 'error';
    }
    if (controller === ctl) controller = null;
    showResult();
  }

  function candidateItem(c: Candidate, at: string | undefined): HTMLElement {
    return h(
      'li',
      { class: 'candidate' },
      h('a', { class: 'candidate-name', href: unitHref(c.code, at) }, c.full_name),
      h(
        'dl',
        { class: 'facts' },
        h('div', null, h('dt', null, t('where.candidate.province')), h('dd', null, c.province_name)),
        h('div', null, h('dt', null, t('where.candidate.code')), h('dd', { class: 'code' }, c.code)),
        c.via?.kind ? h('div', null, h('dt', null, t('where.candidate.kind')), h('dd', null, tEnum('kind', c.via.kind))) : null,
      ),
    );
  }

  function resultNodes(): (Node | null)[] {
    if (state.phase === 'loading') return [h('p', { class: 'status' }, t('where.searching'))];
    if (state.phase === 'error') {
      return [
        h(
          'div',
          { class: 'alert', role: 'alert', id: 'where-error' },
          h('h2', null, t('error.title')),
          h('p', null, errorMessage(state.error)),
        ),
      ];
    }
    const r = state.result;
    if (state.phase !== 'done' || !r) return [];
    const reason = pick(r.reason, r.reason_vi);
    const cands = r.candidates;
    if (!cands.length) {
      return [
        h(
          'div',
          { class: 'notice none', 'data-outcome': 'none' },
          h('h2', null, t('where.none.title')),
          reason ? h('p', { class: 'reason' }, reason) : null,
        ),
      ];
    }
    const first = cands[0]!;
    // A split old commune: its parts are the candidates reached from the same old code.
    const splitFrom = r.split ? (cands.find((c) => c.via?.kind === 'partial') ?? first) : first;
    const oldCode = splitFrom.via?.old_commune_code ?? null;
    // A divided old district (named without its commune): its parts share its code.
    const oldDistrict = r.split && oldCode === null ? (splitFrom.via?.old_district_code ?? null) : null;
    const oldLabel = state.oldName ?? (oldCode ? t('where.old_commune', { code: oldCode }) : r.query);
    if (r.split) {
      const parts = cands.filter(
        (c) =>
          c === splitFrom ||
          (oldCode !== null && c.via?.old_commune_code === oldCode) ||
          (oldDistrict !== null && !c.via?.old_commune_code && c.via?.old_district_code === oldDistrict),
      );
      const rest = cands.filter((c) => !parts.includes(c));
      return [
        h(
          'div',
          { class: 'notice split', 'data-outcome': oldDistrict ? 'district' : 'split' },
          h('h2', null, t('where.split.title', { n: formatNumber(parts.length) })),
          h('p', null, t(oldDistrict ? 'where.district.text' : 'where.split.text', { old: oldLabel })),
          reason ? h('p', { class: 'reason' }, reason) : null,
          h('ul', { class: 'candidates', 'aria-label': t('where.results') }, parts.map((c) => candidateItem(c, r.at))),
        ),
        others(rest, r.at),
      ];
    }
    const kind = first.via?.kind;
    let explain: string;
    if (!first.via) explain = t('where.same.text');
    else if (kind === 'whole') explain = t('where.whole.text', { old: oldLabel, unit: first.full_name });
    else explain = `${oldLabel}: ${tEnum('kind', kind)}.`;
    return [
      h(
        'div',
        { class: 'notice found', 'data-outcome': 'found' },
        h('h2', null, t('where.whole.title', { unit: first.full_name, province: first.province_name })),
        h('p', null, explain),
        reason ? h('p', { class: 'reason' }, reason) : null,
        h('ul', { class: 'candidates' }, candidateItem(first, r.at)),
      ),
      others(cands.slice(1), r.at),
    ];
  }

  function others(rest: Candidate[], at: string): HTMLElement | null {
    if (!rest.length) return null;
    return h(
      'section',
      { class: 'others', 'aria-labelledby': 'where-others' },
      h('h2', { id: 'where-others' }, t('where.others')),
      h('ul', { class: 'candidates compact' }, rest.map((c) => candidateItem(c, at))),
    );
  }

  function showResult(): void {
    if (!output) return;
    replace(output, ...resultNodes());
    if (input) {
      const bad = state.phase === 'error' && state.error instanceof ApiError && state.error.param === 'q';
      if (bad) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', 'where-hint where-error');
      } else {
        input.removeAttribute('aria-invalid');
        input.setAttribute('aria-describedby', 'where-hint');
      }
    }
  }

  if (state.q) void run(false);

  return {
    title: () => `${t('where.title')} · motcua`,
    render() {
      input = h('input', {
        id: 'where-q',
        name: 'q',
        type: 'search',
        autocomplete: 'street-address',
        spellcheck: 'false',
        maxlength: 500,
        required: true,
        value: state.q,
        'aria-describedby': 'where-hint',
      });
      input.addEventListener('input', () => {
        state.q = input!.value;
      });
      const at = h('input', { id: 'where-at', name: 'at', type: 'date', value: state.at });
      at.addEventListener('change', () => {
        state.at = at.value;
      });
      const form = h(
        'form',
        { class: 'search-form', role: 'search', novalidate: true },
        field('where-q', t('where.label'), input, { grow: true, hint: ['where-hint', t('where.hint')] }),
        field('where-at', t('where.at'), at),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('where.submit'))),
      );
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        void run(true);
      });
      output = h('div', { id: 'where-result', class: 'result', 'aria-live': 'polite' });
      replace(
        root,
        h('h1', null, t('where.title')),
        h('p', { class: 'lead' }, t('where.lead')),
        form,
        h('section', { 'aria-label': t('where.results') }, output),
      );
      showResult();
    },
    destroy() {
      controller?.abort();
    },
  };
};
