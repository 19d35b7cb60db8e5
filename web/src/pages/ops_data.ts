// The operations centre's view of the stats API (/api/v1/stats/*): types, the
// calls, and the links of the CSV and Excel exports of every table.

import { getJson, url } from '../api';

export type StatsLevel = 'nation' | 'province' | 'commune' | 'province_agencies';

/**
 * What a page or a call asks for: a unit, and for a province its own agencies
 * only (scope=own: the dossiers whose competent unit is the province itself),
 * which is what the staff placed at a province's code may read.
 */
export interface Asked {
  unit: string;
  scope?: 'own';
}

export function asked(unit: string, own = false): Asked {
  return own ? { unit, scope: 'own' } : { unit };
}

/** The page of a unit an answer names: the province's agencies row opens scope=own. */
export function askedOf(u: StatsUnit): Asked {
  return asked(u.code, u.level === 'province_agencies');
}

/** A dossier's competent unit as a page: a province code there is the province's own agencies. */
export function competentAsked(code: string): Asked {
  return asked(code, code !== 'VN' && code.length <= 2);
}

export function sameAsked(a: Asked, b: Asked): boolean {
  return a.unit === b.unit && a.scope === b.scope;
}

export interface StatsUnit {
  code: string;
  level: StatsLevel;
  name: string;
  name_en: string | null;
  province_code: string | null;
}

export interface IndexInput {
  key: string;
  name_vi: string;
  name_en: string;
  value: number | null;
  missing: boolean;
}

export interface IndexGroup {
  key: string;
  name_vi: string;
  name_en: string;
  weight: number;
  points: number | null;
  inputs: IndexInput[];
}

export interface ServiceIndex {
  score: number | null;
  points: number;
  out_of: number;
  groups: IndexGroup[];
  missing_inputs: string[];
}

/** The index as a ranking gives it for each unit: no names, no inputs. */
export interface BriefIndex {
  score: number | null;
  points: number;
  out_of: number;
  groups: Pick<IndexGroup, 'key' | 'weight' | 'points'>[];
  missing_inputs: string[];
}

/** A rate between 0 and 1, or null when there is nothing to divide. */
export type Rate = number | null;

/** One unit's indicators; its index in full (Figures) or brief (a ranking's Ranked). */
export interface UnitIndicators<Index> {
  unit: StatsUnit;
  range: { from: string; to: string; days: number };
  received: number;
  received_by_channel: { online: number; counter: number; post: number; national_portal: number };
  /** Received at the unit's one-stop desk, whichever unit settles them (a
   * province's or the nation's: at any of its desks); `received` counts at the settling unit. */
  received_at_desk: number;
  online_rate: Rate;
  online_target: number;
  finished: number;
  on_time: number;
  late: number;
  on_time_rate: Rate;
  open_now: number;
  overdue_now: number;
  avg_processing_days: number | null;
  supplement_rate: Rate;
  digitisation_rate: Rate;
  electronic_result_rate: Rate;
  online_payment_rate: Rate;
  ratings: number;
  average_rating: number | null;
  satisfaction_rate: Rate;
  service_index: Index;
  rank?: number;
}

export type Figures = UnitIndicators<ServiceIndex>;
export type Ranked = UnitIndicators<BriefIndex>;

export interface SeriesDay {
  date: string;
  received: number;
  online: number;
  finished: number;
  on_time: number;
  late: number;
}

export interface Watched {
  code: string;
  procedure_code: string;
  procedure_name: string;
  competent_unit: string;
  state: string;
  due_at: string;
}

export interface UnitWarning {
  unit: StatsUnit;
  kind: 'on_time_falling' | 'backlog_spike';
  before: number;
  now: number;
  message_vi: string;
  message_en: string;
}

export interface Warnings {
  unit: StatsUnit;
  due_soon: Watched[];
  overdue: Watched[];
  // How many there are in all; each list names at most the server's limit.
  due_soon_total: number;
  overdue_total: number;
  units: UnitWarning[];
}

export interface ForecastDay {
  date: string;
  expected: number;
  staff: number;
}

export interface ForecastError {
  held_back_days: number;
  mae: number;
  wape: Rate;
  bias: number;
  days: { date: string; actual: number; predicted: number }[];
}

export interface Forecast {
  unit: StatsUnit;
  per_staff: number;
  history_working_days: number;
  days: ForecastDay[];
  error: ForecastError | null;
}

/** The figures whose dossiers a commune's list can show. */
export type ListStatus = 'received' | 'finished' | 'on_time' | 'late' | 'open' | 'overdue';

export interface ListedDossier {
  code: string;
  procedure_code: string;
  procedure_name: string;
  channel: string;
  state: string;
  received_at: string | null;
  due_at: string | null;
  finished_at: string | null;
  time_status: string;
  supplement_requests: number;
}

export interface DossierList {
  unit: StatsUnit;
  range: { from: string; to: string; days: number };
  status: ListStatus;
  total: number;
  offset: number;
  limit: number;
  items: ListedDossier[];
}

/** The query of a period: {period, date?} or {from, to}. */
export type PeriodParams = Record<string, string>;

export type Table = 'indicators' | 'units' | 'series' | 'forecast';

/** The address of an endpoint; with a format, the file to download. */
export function statsLink(table: Table | 'warnings' | 'dossiers', a: Asked, period: PeriodParams, format?: 'csv' | 'xlsx'): string {
  return url(`/api/v1/stats/${table}`, { ...a, ...period, format });
}

export function getIndicators(a: Asked, period: PeriodParams, signal: AbortSignal): Promise<Figures> {
  return getJson<Figures>('/api/v1/stats/indicators', { ...a, ...period }, signal);
}

export function getChildren(a: Asked, period: PeriodParams, signal: AbortSignal): Promise<{ unit: string; items: Ranked[] }> {
  return getJson('/api/v1/stats/units', { ...a, ...period }, signal);
}

export function getSeries(a: Asked, period: PeriodParams, signal: AbortSignal): Promise<{ unit: string; items: SeriesDay[] }> {
  return getJson('/api/v1/stats/series', { ...a, ...period }, signal);
}

export function getWarnings(a: Asked, signal: AbortSignal): Promise<Warnings> {
  return getJson<Warnings>('/api/v1/stats/warnings', { ...a }, signal);
}

export function getForecast(a: Asked, signal: AbortSignal): Promise<Forecast> {
  return getJson<Forecast>('/api/v1/stats/forecast', { ...a }, signal);
}

export function getDossierList(a: Asked, period: PeriodParams, status: ListStatus, offset: number, limit: number, signal: AbortSignal): Promise<DossierList> {
  return getJson<DossierList>('/api/v1/stats/dossiers', { ...a, ...period, status, offset, limit }, signal);
}
