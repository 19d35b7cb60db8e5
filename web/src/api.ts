// Typed client of the motcua HTTP API (src/api/openapi.json). Every failure
// becomes an ApiError here, and errorMessage() is the one place that turns it
// into text in the chosen language.

import { pick, t } from './i18n';

export type Level = 'province' | 'district' | 'commune';

export interface Unit {
  code: string;
  level: Level;
  name: string;
  full_name: string;
  name_en: string | null;
  full_name_en: string | null;
  unit_type: string;
  province_code: string | null;
  district_code: string | null;
  valid_from: string | null;
  valid_to: string | null;
}

export interface UnitPage {
  items: Unit[];
  next_cursor: string | null;
  at: string;
}

export interface Predecessor {
  old_code: string;
  old_name: string;
  old_level: string;
  kind: string;
}

export interface Successor {
  new_code: string;
  new_name: string;
  kind: string;
}

export interface UnitDetail extends Unit {
  at: string;
  in_force: boolean;
  versions: Unit[];
  predecessors: Predecessor[];
  successors?: Successor[];
}

export interface Candidate {
  code: string;
  full_name: string;
  province_code: string;
  province_name: string;
  score: number;
  via: { old_commune_code: string | null; old_district_code: string | null; kind: string } | null;
}

export interface Resolution {
  query: string;
  at: string;
  split: boolean;
  reason: string | null;
  reason_vi: string | null;
  candidates: Candidate[];
}

export interface Problem {
  type?: string;
  title?: string;
  title_vi?: string;
  status?: number;
  detail?: string;
  detail_vi?: string;
  instance?: string;
  param?: string;
}

/** A failed call: a problem+json answer, another unexpected answer, or no answer at all. */
export class ApiError extends Error {
  readonly status: number; // 0 when the server could not be reached
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** The parameter the server named as at fault, if any. */
  get param(): string | undefined {
    return this.problem?.param;
  }
}

/** Text for any error, in the language chosen now (so it follows a switch). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    const p = err.problem;
    if (p) {
      const text = pick(p.detail, p.detail_vi) || pick(p.title, p.title_vi);
      if (text) return text;
    }
    return t('error.unexpected', { status: err.status });
  }
  return t('error.unexpected', { status: '?' });
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

type Params = Record<string, string | number | null | undefined>;

/** An API path with its query; empty values are left out. */
export function url(path: string, params: Params = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export async function getJson<T>(path: string, params: Params, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url(path, params), { headers: { Accept: 'application/json' }, signal });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, null);
  }
  const type = res.headers.get('content-type') ?? '';
  let body: unknown = null;
  if (type.includes('json')) {
    try {
      body = await res.json();
    } catch (err) {
      if (isAbort(err)) throw err;
      body = null;
    }
  }
  if (!res.ok) {
    const problem = body && typeof body === 'object' ? (body as Problem) : null;
    throw new ApiError(res.status, problem);
  }
  if (body === null) throw new ApiError(res.status, null);
  return body as T;
}

export interface UnitQuery {
  q?: string;
  level?: Level | '';
  province?: string;
  at?: string;
  limit?: number;
  cursor?: string | null;
}

export function searchUnits(query: UnitQuery, signal?: AbortSignal): Promise<UnitPage> {
  return getJson<UnitPage>('/api/v1/units', { ...query }, signal);
}

export function getUnit(code: string, at?: string, signal?: AbortSignal): Promise<UnitDetail> {
  return getJson<UnitDetail>(`/api/v1/units/${encodeURIComponent(code)}`, { at }, signal);
}

export function resolveAddress(q: string, at?: string, signal?: AbortSignal): Promise<Resolution> {
  return getJson<Resolution>('/api/v1/units/resolve', { q, at }, signal);
}

/** Provinces in force at a date, cached: the search form offers them as a filter. */
const provinceCache = new Map<string, Promise<Unit[]>>();

export function provincesAt(at: string | undefined): Promise<Unit[]> {
  const key = at || '';
  let p = provinceCache.get(key);
  if (!p) {
    p = searchUnits({ level: 'province', at, limit: 500 }).then((page) => page.items);
    p.catch(() => provinceCache.delete(key));
    provinceCache.set(key, p);
  }
  return p;
}

// --- The procedure catalog -------------------------------------------------

export interface ProcedureChannel {
  channel: 'online' | 'post' | 'counter';
  time_amount: number | null;
  time_unit: 'working_days' | 'working_hours' | 'calendar_days' | null;
  time_text: string;
  fee_vnd: number | null;
  fee_text: string;
}

export interface ProcedureSummary {
  code: string;
  name: string;
  field: string;
  group: string;
  competent_level: 'commune' | 'province';
  competent_agency: string;
  online_level: 'full' | 'partial' | 'none';
  version: number;
  channels: ProcedureChannel[];
}

export interface ProcedurePage {
  items: ProcedureSummary[];
  total: number;
  facets: { field: Record<string, number>; level: Record<string, number>; online_level: Record<string, number> };
  next_cursor: string | null;
}

export interface ProcedureComponent {
  name: string;
  copy_kind: string;
  quantity_text: string;
  requirement: 'mandatory' | 'conditional';
  condition: string;
  // The channels it is asked for on; empty: every channel.
  channels: string[];
}

// Whether a paper is asked for on `channel` (a paper form is not, online).
export function askedOn(c: ProcedureComponent, channel: string): boolean {
  return !c.channels?.length || c.channels.includes(channel);
}

// A paper's name as a list shows it: the catalog writes many as items of
// its own list, starting with a dash.
export function paperName(c: ProcedureComponent): string {
  return c.name.replace(/^[-–]\s*/, '');
}

export interface ProcedureDetail extends ProcedureSummary {
  components: ProcedureComponent[];
  steps: string[];
  legal_basis: string[];
  result: string;
  decentralisation: {
    before_level: string;
    before_agency: string;
    after_level: string;
    after_agency: string;
    since: string;
    decree: string;
    note: string;
  } | null;
}

export interface ProcedureQuery {
  q?: string;
  field?: string;
  level?: string;
  online_level?: string;
  limit?: number;
  cursor?: string | null;
}

export function searchProcedures(query: ProcedureQuery, signal?: AbortSignal): Promise<ProcedurePage> {
  return getJson<ProcedurePage>('/api/v1/procedures', { ...query }, signal);
}

export function getProcedure(code: string, signal?: AbortSignal, version?: string): Promise<ProcedureDetail> {
  return getJson<ProcedureDetail>(`/api/v1/procedures/${encodeURIComponent(code)}`, version ? { version } : {}, signal);
}

/** True when no channel of the procedure sets a processing time ("Không xác
 * định"): the desk then writes the appointment on the receipt (due_at). */
export function needsDeskAppointment(p: ProcedureDetail): boolean {
  return !p.channels.some((c) => c.time_amount !== null && c.time_amount !== undefined);
}

// --- Public status of a dossier ----------------------------------------------

export interface PublicStatus {
  code: string;
  state: string;
  procedure_code: string;
  procedure_name: string;
  receiving_unit: string;
  competent_unit: string;
  receiving_unit_name?: string;
  competent_unit_name?: string;
  received_at: string | null;
  due_at: string | null;
  appointment: string | null;
  finished_at: string | null;
  returned_at: string | null;
}

// A unit as people know it, its code beside the name ("Phường Ba Đình (00004)").
export function unitLabel(code: string, name?: string): string {
  return name ? `${name} (${code})` : code;
}

export function publicStatus(code: string, signal?: AbortSignal): Promise<PublicStatus> {
  return getJson<PublicStatus>(`/api/v1/public/dossiers/${encodeURIComponent(code)}`, {}, signal);
}

// --- Signed-in calls: a cookie session, with the anti-forgery token echoed --

let csrfToken = '';
// The account the last /auth/me named: a stale token is renewed for it only.
let sessionUser: number | null = null;

/** Remembers the anti-forgery token of the cookie session (login or /auth/me). */
export function setCsrf(token: string | undefined): void {
  csrfToken = token ?? '';
}

// Who hears that the session was found gone (a 401 on a signed-in call) or
// found again (/auth/me answered): the navigation, which must not keep saying
// "signed in as" once the server has forgotten the person.
const sessionWatchers: ((who: Me | null) => void)[] = [];

export function onSession(fn: (who: Me | null) => void): void {
  sessionWatchers.push(fn);
}

function told(who: Me | null): void {
  for (const fn of sessionWatchers) fn(who);
}

/** Whether the server refused the anti-forgery token: the session it belonged to was replaced
 * (signed out, then in again in another tab), so this page still holds the old one. */
function staleCsrf(err: ApiError): boolean {
  return err.status === 403 && err.param === 'X-CSRF-Token';
}

async function sendOnce<T>(method: string, path: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<T> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  let payload: BodyInit | undefined;
  if (body instanceof Blob) {
    payload = body;
  } else if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) h['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers: h, body: payload, credentials: 'same-origin', signal });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, null);
  }
  let doc: unknown = null;
  if ((res.headers.get('content-type') ?? '').includes('json')) doc = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, doc && typeof doc === 'object' ? (doc as Problem) : null);
  return doc as T;
}

async function send<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
  try {
    return await sendOnce<T>(method, path, body, headers, signal);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 401) told(null);
    if (!staleCsrf(err)) throw err;
    // A session signed in since this page loaded: its token is read once, and the change
    // sent once more with it (the form keeps what was typed; a reload would empty it).
    // A 401 here (no session at all) is what the form then says, with its sign-in link.
    // Only for the account this page was working for: another one signed in at this
    // browser meanwhile (a shared counter computer) must not send what was typed as theirs.
    const was = sessionUser;
    const who = await me(signal);
    if (was !== null && who.user.id !== was) {
      sessionUser = was; // still this page's account, should its owner sign in again
      // Said as a session lost: its form offers its owner the sign-in again.
      const said = t('session.other_account');
      throw new ApiError(401, { status: 401, detail: said, detail_vi: said });
    }
    return sendOnce<T>(method, path, body, headers, signal);
  }
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  kind: 'staff' | 'citizen';
  roles: string[];
  unit_code: string | null;
  province_code?: string | null;
}

export interface Me {
  user: User;
  permissions: Record<string, string>;
  csrf_token?: string;
}

export async function login(username: string, password: string): Promise<Me> {
  const r = await send<Me & { csrf_token: string }>('POST', '/api/v1/auth/login', { username, password, session: 'cookie' });
  setCsrf(r.csrf_token);
  return r;
}

export async function me(signal?: AbortSignal): Promise<Me> {
  const r = await send<Me>('GET', '/api/v1/auth/me', undefined, {}, signal);
  setCsrf(r.csrf_token);
  sessionUser = r.user.id;
  told(r);
  return r;
}

export function logout(): Promise<void> {
  return send<void>('POST', '/api/v1/auth/logout');
}

export interface DossierComponent {
  component_id: string;
  form?: string;
  file_ref?: string;
  quantity?: number;
}

export interface Dossier {
  id: string;
  code: string;
  procedure_code: string;
  procedure_version?: string;
  procedure_name?: string;
  state: string;
  channel: string;
  competent_unit: string;
  receiving_unit: string;
  competent_unit_name?: string;
  receiving_unit_name?: string;
  version: number;
  due_at: string | null;
  /** The date promised to the applicant: due_at, or the last apology's new date. */
  appointment?: string | null;
  received_at: string | null;
  returned_at: string | null;
  applicant: { kind?: string; name: string; id_number?: string; tax_code?: string; phone?: string; email?: string; address?: string };
  /** The account that filed it online ("" for one the desk opened). */
  applicant_user_id?: string;
  components: DossierComponent[];
  allowed_actions: string[];
  result: { number: string; form: string; file_ref?: string } | null;
  apologies?: { at: string; reason: string; previous_due: string; new_due: string; letter_ref: string }[];
  /** Each request for supplements: what is missing, and when it was answered (null: still open). */
  supplements?: { requested_at: string; missing: string[]; note: string; answered_at: string | null }[];
  rating?: { score: number; note: string } | null;
  digitised?: boolean;
  fees?: { name: string; amount_vnd: number; paid: boolean; paid_online: boolean; paid_at: string | null; receipt?: string }[];
  due_soon?: boolean;
  overdue?: boolean;
  /** effective_appointment: the appointment moved on by the time spent waiting for supplements. */
  time?: { status: string; due_soon?: boolean; effective_appointment?: string | null } | null;
}

/** What the applicant still owes: the fees not paid yet, in VND. */
export function unpaidFees(d: Dossier): number {
  return (d.fees ?? []).reduce((sum, f) => sum + (f.amount_vnd > 0 && !f.paid ? f.amount_vnd : 0), 0);
}

/** The date promised to the applicant, as the server works it out. */
export function promised(d: Dossier): string | null {
  return d.time?.effective_appointment ?? d.appointment ?? d.due_at;
}

export interface DossierEvent {
  seq: number;
  at: string;
  action: string;
  from: string;
  to: string;
  note: string;
  actor: { role: string; unit: string };
}

export function submitDossier(body: unknown, key: string): Promise<Dossier> {
  return send<Dossier>('POST', '/api/v1/dossiers', body, { 'Idempotency-Key': key });
}

/** A bundle (liên thông): one filing that opens a dossier for each member procedure. */
export interface Bundle {
  code: string;
  name: string;
  description: string;
  members: { code: string; name: string; competent_level: string; competent_agency: string }[];
}

export function getBundles(signal?: AbortSignal): Promise<{ items: Bundle[] }> {
  return send('GET', '/api/v1/bundles', undefined, {}, signal);
}

export function submitBundle(code: string, body: unknown, key: string): Promise<{ bundle_id: string; dossiers: Dossier[] }> {
  return send('POST', `/api/v1/bundles/${encodeURIComponent(code)}/dossiers`, body, { 'Idempotency-Key': key });
}

export function getDossier(ref: string, signal?: AbortSignal): Promise<Dossier> {
  return send<Dossier>('GET', `/api/v1/dossiers/${encodeURIComponent(ref)}`, undefined, {}, signal);
}

export function dossierEvents(ref: string, signal?: AbortSignal): Promise<{ items: DossierEvent[] }> {
  return send('GET', `/api/v1/dossiers/${encodeURIComponent(ref)}/events`, undefined, {}, signal);
}

export function act(ref: string, action: string, version: number, body: unknown): Promise<Dossier> {
  return send<Dossier>('POST', `/api/v1/dossiers/${encodeURIComponent(ref)}/actions/${action}`, body, { 'If-Match': `"${version}"` });
}

/** The applicant's order to pay the fees due online: where the payment platform takes it. */
export interface PaymentOrder {
  dossier_id: string;
  code: string;
  amount_vnd: number;
  pay_url: string;
}

export function orderPayment(ref: string, returnUrl: string): Promise<PaymentOrder> {
  return send<PaymentOrder>('POST', `/api/v1/dossiers/${encodeURIComponent(ref)}/payment`, { return_url: returnUrl });
}

export interface InboxQuery {
  state?: string;
  channel?: string;
  procedure?: string;
  limit?: number;
  cursor?: string | null;
}

export function inbox(params: InboxQuery, signal?: AbortSignal): Promise<{ items: Dossier[]; next_cursor: string | null }> {
  return send('GET', url('/api/v1/inbox', { limit: 50, ...params }), undefined, {}, signal);
}

export interface Upload {
  sha256: string;
  size: number;
  media_type: string;
  file_name: string;
}

export function uploadFile(file: File): Promise<Upload> {
  return send<Upload>('POST', '/api/v1/attachments', file, { 'X-File-Name': encodeURIComponent(file.name) });
}

// --- The working-day calendar ----------------------------------------------

export interface CalendarDay {
  date: string;
  weekday: number;
  kind: 'holiday' | 'compensatory' | 'swapped_off' | 'swapped_work';
  name_vi: string;
  name_en: string;
  working: boolean;
}

export interface CalendarYear {
  year: number;
  days: CalendarDay[];
  working_hours: unknown;
}

export function calendarYear(year: number, signal?: AbortSignal): Promise<CalendarYear> {
  return getJson<CalendarYear>(`/api/v1/calendar/${year}`, {}, signal);
}

export function specialists(unit: string): Promise<{ unit: string; items: { id: number; display_name: string }[] }> {
  return send('GET', url('/api/v1/specialists', { unit }));
}

export function listUsers(params: { kind?: string; cursor?: string | null }, signal?: AbortSignal): Promise<{ items: User[]; next_cursor: string | null }> {
  return send('GET', url('/api/v1/users', { limit: 100, ...params }), undefined, {}, signal);
}

export function createUser(body: Record<string, unknown>): Promise<User> {
  return send<User>('POST', '/api/v1/users', body);
}

/** Saves an edited procedure: a new version, if `version` is still the current one (else 412). */
export function updateProcedure(p: ProcedureDetail, version: number): Promise<ProcedureDetail> {
  return send<ProcedureDetail>('PUT', `/api/v1/procedures/${encodeURIComponent(p.code)}`, p, { 'If-Match': `"${version}"` });
}
