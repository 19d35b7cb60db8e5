// The operations centre (/ops, /ops/{unit}): a unit's figures over a period,
// its 766 service index, the units under it to drill into, the daily series,
// warnings and the forecast. The nation for national roles, the province for a
// province supervisor, the commune for commune staff, the province's own
// agencies (?scope=own) for staff placed at a province's code; the period
// lives in the query string. Each section loads on its own and says so (aria-busy).

import { errorMessage, isAbort, provincesAt, type Me, type Unit } from '../api';
import { h, replace } from '../dom';
import { formatDate, pick, t } from '../i18n';
import { navigate, showTitle, type PageFactory } from '../router';
import { goLogin, whoAmI } from '../session';
import type { Drawn } from './ops_chartjs';
import { forecastChart, seriesBody } from './ops_charts';
import { asked, getChildren, getForecast, getIndicators, getSeries, getWarnings, type Asked, type Figures, type Forecast, type Ranked, type SeriesDay, type Warnings } from './ops_data';
import { figureCards, serviceIndex } from './ops_figures';
import { dossierListPanel, type DossierListPanel } from './ops_dossiers';
import { downloads, section, unitName } from './ops_format';
import { forecastBody, warningsBody } from './ops_panels';
import { periodForm, periodParams, periodQuery, readPeriod } from './ops_period';
import { unitsTable } from './ops_units';

type Level = 'nation' | 'province' | 'commune' | 'province_agencies';

function levelOf(a: Asked): Level {
  if (a.unit === 'VN') return 'nation';
  if (a.unit.length > 2) return 'commune';
  return a.scope === 'own' ? 'province_agencies' : 'province';
}

/** A page's address: the unit, its agencies' scope, the period. */
export function opsLink(a: Asked, periodQueryString: string): string {
  return `/ops/${encodeURIComponent(a.unit)}?${a.scope ? 'scope=own&' : ''}${periodQueryString}`;
}

/** The unit a person sees first: the widest their stats.read reaches. */
export function defaultUnit(who: Me): string {
  const scope = who.permissions['stats.read'];
  if (scope === 'national') return 'VN';
  if (scope === 'province') return who.user.province_code ?? '';
  if (scope === 'unit') return who.user.unit_code ?? '';
  return '';
}

/** What a person sees first: staff placed at a province's code reach its own agencies, not its communes. */
export function defaultAsked(who: Me): Asked {
  const unit = defaultUnit(who);
  return asked(unit, who.permissions['stats.read'] === 'unit' && unit !== '' && unit.length <= 2);
}

export function mayReadStats(who: Me | null): boolean {
  const scope = who?.permissions['stats.read'];
  return !!scope && scope !== 'none';
}

interface Slot<T> {
  data: T | null;
  error: unknown;
  busy: boolean;
}

function slot<T>(): Slot<T> {
  return { data: null, error: null, busy: true };
}

const kSections = ['ops-figures', 'ops-index', 'ops-units', 'ops-dossiers', 'ops-series', 'ops-warnings', 'ops-forecast'] as const;
type SectionId = (typeof kSections)[number];

export const opsPage: PageFactory = (root, url, params) => {
  const period = readPeriod(url);
  const pp = periodParams(period);
  const link = (a: Asked) => opsLink(a, periodQuery(period));
  const controller = new AbortController();
  const signal = controller.signal;
  let unit = params.unit ?? '';
  let here: Asked = asked(unit, url.searchParams.get('scope') === 'own');
  let access: 'checking' | 'allowed' | 'denied' | 'failed' = 'checking';
  let accessError: unknown = null;
  let scope = '';
  let provinces: Unit[] = [];
  const figures = slot<Figures>();
  const children = slot<Ranked[]>();
  const series = slot<SeriesDay[]>();
  const warnings = slot<Warnings>();
  const forecast = slot<Forecast>();
  const charts: Partial<Record<'series' | 'forecast', Drawn>> = {};
  const expanded = new Set<string>();
  let dossierList: DossierListPanel | null = null; // a commune's: its own state, loaded on its own
  let unitLabel: HTMLElement | null = null;
  let crumbs: HTMLElement | null = null;
  let rangeLine: HTMLElement | null = null;

  function load<T>(s: Slot<T>, get: () => Promise<T>, done: () => void): void {
    get().then(
      (data) => {
        if (signal.aborted) return;
        Object.assign(s, { data, error: null, busy: false });
        done();
      },
      (err) => {
        if (isAbort(err) || signal.aborted) return;
        Object.assign(s, { data: null, error: err, busy: false });
        done();
      },
    );
  }

  async function begin(): Promise<void> {
    let who: Me | null;
    try {
      who = await whoAmI();
    } catch (err) {
      if (signal.aborted) return;
      access = 'failed';
      accessError = err;
      page.render();
      return;
    }
    if (signal.aborted) return;
    if (!who) return goLogin();
    scope = who.permissions['stats.read'] ?? '';
    if (!unit) {
      here = defaultAsked(who);
      unit = here.unit;
    }
    const level = levelOf(here);
    access = mayReadStats(who) && unit ? 'allowed' : 'denied';
    if (access === 'allowed' && (level === 'commune' || level === 'province_agencies')) dossierList = dossierListPanel(here, pp, signal);
    page.render();
    if (access !== 'allowed') return;
    load(figures, () => getIndicators(here, pp, signal), figuresArrived);
    if (level === 'nation' || level === 'province') load(children, () => getChildren(here, pp, signal).then((r) => r.items), () => paint('ops-units'));
    load(series, () => getSeries(here, pp, signal).then((r) => r.items), () => paint('ops-series'));
    load(warnings, () => getWarnings(here, signal), () => paint('ops-warnings'));
    load(forecast, () => getForecast(here, signal), () => paint('ops-forecast'));
    if (scope !== 'unit' && level === 'commune') {
      provincesAt(undefined).then(
        (list) => {
          if (signal.aborted) return;
          provinces = list;
          paintHead();
        },
        () => {},
      );
    }
  }

  function figuresArrived(): void {
    if (figures.error) {
      page.render();
      return;
    }
    paintHead();
    if (figures.data) dossierList?.showFigures(figures.data);
    paint('ops-figures');
    paint('ops-index');
    paint('ops-units'); // its caption names the province
  }

  function provinceLabel(code: string): string {
    const f = figures.data;
    // The agencies' page names the province they belong to by its own name.
    if (f && f.unit.code === code) return f.unit.level === 'province' ? unitName(f.unit) : pick(f.unit.name_en, f.unit.name);
    const p = provinces.find((u) => u.code === code);
    return p ? pick(p.full_name_en, p.full_name) : code;
  }

  function breadcrumb(): HTMLElement | null {
    const f = figures.data;
    if (!f) return null;
    const trail: { to: Asked; label: string }[] = [];
    if (scope === 'national') trail.push({ to: asked('VN'), label: t('ops.nation') });
    const province = f.unit.level === 'province' ? f.unit.code : f.unit.province_code;
    if (province && (scope === 'national' || scope === 'province')) trail.push({ to: asked(province), label: provinceLabel(province) });
    if (f.unit.level === 'commune' || f.unit.level === 'province_agencies') trail.push({ to: here, label: unitName(f.unit) });
    if (trail.length < 2) return null;
    return h(
      'ol',
      null,
      trail.map((c, i) =>
        h('li', null, i === trail.length - 1 ? h('span', { 'aria-current': 'page' }, c.label) : h('a', { href: link(c.to), 'data-code': c.to.unit }, c.label)),
      ),
    );
  }

  function paintHead(): void {
    const f = figures.data;
    if (!unitLabel || !crumbs || !rangeLine) return;
    unitLabel.textContent = f ? unitName(f.unit) : unit;
    showTitle(page);
    replace(crumbs, breadcrumb());
    rangeLine.textContent = f
      ? t('ops.range', { level: t(`ops.level.${f.unit.level}`), from: formatDate(f.range.from), to: formatDate(f.range.to), days: f.range.days })
      : '';
  }

  function toggle(key: string): void {
    if (expanded.has(key)) expanded.delete(key);
    else expanded.add(key);
    paint('ops-warnings');
    root.querySelector<HTMLElement>(`button[aria-controls="ops-${key.replace('_', '-')}-list"]`)?.focus();
  }

  function unitsSection(): HTMLElement | null {
    const level = levelOf(here);
    if (level !== 'nation' && level !== 'province') return null;
    const title = t(level === 'nation' ? 'ops.units.provinces' : 'ops.units.communes');
    const caption = level === 'nation' ? t('ops.units.caption_nation') : t('ops.units.caption_province', { name: provinceLabel(unit) });
    return section('ops-units', title, children, () => [
      children.data!.length ? unitsTable(children.data!, caption, link) : h('p', { class: 'notice none' }, t('ops.no_data')),
      downloads('units', here, pp, caption, 'ops-units'),
    ]);
  }

  function build(id: SectionId): HTMLElement | null {
    switch (id) {
      case 'ops-figures':
        return section(id, t('ops.figures'), figures, () => [figureCards(figures.data!, dossierList ? (s) => dossierList?.show(s) : undefined), downloads('indicators', here, pp, t('ops.figures'), 'ops-indicators')]);
      case 'ops-index':
        return section(id, t('ops.index.title'), figures, () => serviceIndex(figures.data!.service_index));
      case 'ops-units':
        return unitsSection();
      case 'ops-dossiers':
        return dossierList?.element ?? null;
      case 'ops-series':
        charts.series?.destroy();
        return section(id, t('ops.series'), series, () => seriesBody(series.data!, here, pp, (d) => (charts.series = d)));
      case 'ops-warnings':
        return section(id, t('ops.warnings'), warnings, () => warningsBody(warnings.data!, expanded, toggle, link));
      case 'ops-forecast':
        charts.forecast?.destroy();
        return section(id, t('ops.forecast'), forecast, () => forecastBody(forecast.data!, forecastChart(forecast.data!, (d) => (charts.forecast = d))));
    }
  }

  function paint(id: SectionId): void {
    const old = root.querySelector(`#${id}`);
    const next = build(id);
    if (old && next) old.replaceWith(next);
  }

  function destroyCharts(): void {
    charts.series?.destroy();
    charts.forecast?.destroy();
    delete charts.series;
    delete charts.forecast;
  }

  const page = {
    title: () => [t('ops.title'), figures.data ? unitName(figures.data.unit) : '', 'motcua'].filter(Boolean).join(' · '),
    render() {
      destroyCharts();
      unitLabel = h('span', { id: 'ops-unit-name' });
      const heading = h('h1', null, h('span', { class: 'eyebrow' }, t('ops.title')), ' ', unitLabel);
      if (access !== 'allowed') {
        const body =
          access === 'checking'
            ? h('p', { class: 'status', 'aria-busy': 'true' }, t('ops.loading'))
            : access === 'failed'
              ? h('div', { class: 'alert', role: 'alert', id: 'ops-error' }, h('p', null, errorMessage(accessError)))
              : h(
                  'div',
                  { class: 'notice split', id: 'ops-forbidden' },
                  h('h2', null, t('ops.denied.title')),
                  h('p', null, t('ops.denied.text')),
                  h('p', null, h('a', { href: '/' }, t('ops.denied.home'))),
                );
        replace(root, h('div', { id: 'ops', 'data-access': access }, heading, body));
        return;
      }
      crumbs = h('nav', { class: 'crumbs ops-crumbs', 'aria-label': t('ops.crumbs'), id: 'ops-crumbs' });
      rangeLine = h('p', { class: 'lead', id: 'ops-range' });
      const form = periodForm(period, (p) => navigate(`${window.location.pathname}?${here.scope ? 'scope=own&' : ''}${periodQuery(p)}`));
      const body = figures.error
        ? [
            h('div', { class: 'alert', role: 'alert', id: 'ops-error' }, h('p', null, errorMessage(figures.error))),
            params.unit ? h('p', null, h('a', { href: `/ops?${periodQuery(period)}`, id: 'ops-own' }, t('ops.own_unit'))) : null,
          ]
        : kSections.map(build);
      replace(root, h('div', { id: 'ops', 'data-unit': unit, 'data-level': levelOf(here), 'data-access': access }, crumbs, heading, rangeLine, form, body));
      paintHead();
    },
    destroy() {
      controller.abort();
      destroyCharts();
    },
  };
  void begin();
  return page;
};
