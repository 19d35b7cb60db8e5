// The operations centre's view of the stats API (/api/v1/stats/*): types, the
// calls, and the links of the CSV and Excel exports of every table.

import { getJson, url } from '../api';

export type StatsLevel = 'nation' | 'province' | 'commune' | 'province_agencies';

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
export function statsLink(table: Table | 'warnings' | 'dossiers', unit: string, period: PeriodParams, format?: 'csv' | 'xlsx'): string {
  return url(`/api/v1/stats/${table}`, { unit, ...period, format });
}

export function getIndicators(unit: string, period: PeriodParams, signal: AbortSignal): Promise<Figures> {
  return getJson<Figures>('/api/v1/stats/indicators', { unit, ...period }, signal);
}

export function getChildren(unit: string, period: PeriodParams, signal: AbortSignal): Promise<{ unit: string; items: Ranked[] }> {
  return getJson('/api/v1/stats/units', { unit, ...period }, signal);
}

export function getSeries(unit: string, period: PeriodParams, signal: AbortSignal): Promise<{ unit: string; items: SeriesDay[] }> {
  return getJson('/api/v1/stats/series', { unit, ...period }, signal);
}

export function getWarnings(unit: string, signal: AbortSignal): Promise<Warnings> {
  return getJson<Warnings>('/api/v1/stats/warnings', { unit }, signal);
}

export function getForecast(unit: string, signal: AbortSignal): Promise<Forecast> {
  return getJson<Forecast>('/api/v1/stats/forecast', { unit }, signal);
}

export function getDossierList(unit: string, period: PeriodParams, status: ListStatus, offset: number, limit: number, signal: AbortSignal): Promise<DossierList> {
  return getJson<DossierList>('/api/v1/stats/dossiers', { unit, ...period, status, offset, limit }, signal);
}
