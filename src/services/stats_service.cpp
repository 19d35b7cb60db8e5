#include "services/stats_service.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>

#include "common/dates.hpp"
#include "domain/access/permissions.hpp"
#include "domain/dossier/time_status.hpp"
#include "domain/stats/contribution.hpp"
#include "domain/stats/ranking.hpp"
#include "domain/stats/rollup.hpp"
#include "services/dossier_figures.hpp"
#include "services/dossier_json.hpp"
#include "services/read_and_decide.hpp"
#include "store/reference_rows.hpp"

namespace motcua::services {
namespace {

using stats::Counter;
using stats::Level;

constexpr int kForecastDays = 14;
constexpr int kHistoryDays = 16 * 7;  // calendar days of history the forecast reads
// A dossier list reads pages this long and hands them to its two threads in
// chunks this long: small, so that the second thread starts soon after the
// first page (a commune's year, read and decided: 16.2-19.0 ms against
// 19.5-22.4 ms with pages of 2,000 split in halves).
constexpr std::size_t kListPage = 256;
constexpr std::size_t kListChunk = 128;

Error not_found_unit(const std::string& code) {
  return make_error(ErrorKind::kBadRequest,
                    "Không có đơn vị '" + code + "' (mã xã, mã tỉnh hoặc VN cho cả nước).",
                    "There is no unit '" + code + "' (a commune code, a province code, or VN for the nation).",
                    "unit");
}

Error forbidden_unit(const std::string& code) {
  return make_error(ErrorKind::kForbidden,
                    "Tài khoản không được xem số liệu của đơn vị " + code + ".",
                    "The account may not see the figures of unit " + code + ".", "unit");
}

// Staff placed at a province's code reach that unit, not its communes: the
// answer says what they may read instead.
Error forbidden_province(const std::string& code) {
  return make_error(ErrorKind::kForbidden,
                    "Tài khoản chỉ được xem số liệu các cơ quan cấp tỉnh của đơn vị " + code +
                        ", không xem được các xã: hãy dùng scope=own.",
                    "The account may see only the figures of the province agencies of " + code +
                        ", not of its communes: use scope=own.",
                    "unit");
}

Error own_not_here(const std::string& code) {
  std::string vi =
      "Tham số 'scope=own' chỉ dùng với mã tỉnh (các hồ sơ mà chính tỉnh có thẩm quyền";
  std::string en = "Parameter 'scope=own' applies to a province code (the dossiers whose competent";
  vi += " giải quyết); " + code + " không phải mã tỉnh.";
  en += " unit is the province itself); " + code + " is not a province code.";
  return make_error(ErrorKind::kBadRequest, std::move(vi), std::move(en), "scope");
}

// The due time a listed dossier shows, and the open lists sort by: the legal
// one pushed back by its pauses (`t`, its time status now) when known.
std::optional<std::int64_t> due_shown(const dossier::Dossier& d,
                                      const std::optional<dossier::TimeReport>& t) {
  if (t && t->effective_due) return t->effective_due->epoch_seconds;
  if (d.due_at) return d.due_at->epoch_seconds;
  return std::nullopt;
}

// A listed dossier's line, as the operations centre shows it at `now`.
Result<ListedDossier> line_of(const store::DossierRecord& r, const CatalogSnapshot& catalog,
                              const CalendarService::Snapshot& calendars, std::int64_t now) {
  auto d = dossier_from_row(r);
  if (!d) return d.error();
  ListedDossier x;
  x.code = r.code;
  x.procedure_code = r.procedure_code;
  if (const auto* p = catalog.index.find(r.procedure_code)) x.procedure_name = p->procedure.name;
  x.channel = dossier::channel_name(d->channel);
  x.state = r.state;
  if (d->received_at) x.received_at = d->received_at->epoch_seconds;
  if (d->finished_at) x.finished_at = d->finished_at->epoch_seconds;
  const auto t = time_at(*d, calendars, calendar::Instant{now});
  x.due_at = due_shown(*d, t);
  x.time_status = dossier::time_status_name(t ? t->status : dossier::TimeStatus::kNotApplicable);
  // The requests made after receipt, as the counters count them, whatever the
  // dossier's end: a withdrawn one has no time status but was still asked.
  x.supplement_requests = d->supplement_requests_after_receipt();
  return x;
}

}  // namespace

StatsService::StatsService(store::StatsStore& stats, store::DossiersStore& dossiers,
                           const UnitService& units, const CalendarService& calendar,
                           const CatalogService& catalog, ProvinceOf province_of, Clock clock)
    : stats_(stats),
      dossiers_(dossiers),
      units_(units),
      calendar_(calendar),
      catalog_(catalog),
      province_of_(std::move(province_of)),
      clock_(clock ? std::move(clock) : Clock([] {
        return calendar::Instant{std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count()};
      })) {}

std::int64_t StatsService::today() const { return calendar::local_day_number(clock_()); }

StatsUnit StatsService::unit_ref(const units::UnitVersion& v) const {
  StatsUnit u;
  u.code = v.code;
  u.level = v.level == units::Level::kProvince ? "province" : "commune";
  u.name = v.full_name;
  u.name_en = v.full_name_en;
  u.province_code = v.level == units::Level::kProvince ? v.code : v.province_code;
  return u;
}

Result<StatsUnit> StatsService::resolve(const access::Principal& who,
                                        const UnitAsked& asked) const {
  const std::string& code = asked.code;
  const bool own = asked.scope == stats::UnitScope::kOwn;
  access::Target target;
  StatsUnit u;
  if (code == stats::kNationCode) {
    if (own) return own_not_here(code);
    u = {std::string(stats::kNationCode), "nation", "Cả nước", "Viet Nam", ""};
    target.national_only = true;
  } else {
    const auto* v = units_.registry().at(code, vn_today());
    if (!v || v->level == units::Level::kDistrict) return not_found_unit(code);
    if (own && v->level != units::Level::kProvince) return own_not_here(code);
    u = unit_ref(*v);
    if (v->level == units::Level::kProvince) {
      target.province_code = v->code;
      // Its own agencies are a unit of the province: the staff placed at its
      // code reach them as commune staff reach their commune.
      if (own) {
        u.level = "province_agencies";
        target.unit_code = v->code;
      }
    } else {
      target.unit_code = v->code;
      target.province_code = v->province_code;
    }
  }
  if (!access::decide(who, access::Permission::kStatsRead, target).allowed) {
    if (u.level == "province" && who.unit_code == code) return forbidden_province(code);
    return forbidden_unit(code);
  }
  return u;
}

Level StatsService::level_of(const StatsUnit& u) const {
  if (u.level == "nation") return Level::kNation;
  if (u.level == "province") return Level::kProvince;
  return Level::kUnit;
}

std::vector<std::string> StatsService::communes_of(const std::string& province) const {
  std::vector<std::string> out;
  units::UnitQuery q;
  q.level = units::Level::kCommune;
  q.province = province;
  q.at = vn_today();
  q.limit = 1000;
  for (;;) {
    auto page = units_.registry().search(q);
    for (const auto* v : page.items) out.push_back(v->code);
    if (page.next_cursor.empty()) break;
    q.after = page.next_cursor;
  }
  return out;
}

Result<std::map<std::string, std::int64_t>> StatsService::overdue_by(
    stats::Level level, const std::vector<std::string>& units) const {
  auto counts = dossiers_.open_due_counts(clock_().epoch_seconds, units);
  if (!counts) return counts.error();
  std::map<std::string, std::int64_t> out;
  for (const auto& [unit, n] : *counts) {
    if (level == Level::kUnit) {
      out[unit] += n;
    } else if (level == Level::kProvince) {
      out[counted_province(province_of_, unit)] += n;
    } else {
      out[std::string(stats::kNationCode)] += n;
    }
  }
  return out;
}

StatsUnit StatsService::child_ref(const units::UnitVersion& v, const StatsUnit& parent) const {
  StatsUnit ref = unit_ref(v);
  if (parent.level == "province" && v.code == parent.code) ref.level = "province_agencies";
  return ref;
}

UnitFigures StatsService::make(StatsUnit u, const stats::Range& r, const stats::Counters& c,
                               std::int64_t open, std::int64_t overdue) const {
  UnitFigures f;
  f.unit = std::move(u);
  f.range = r;
  f.indicators = stats::indicators(c, open, overdue);
  // A range not begun yet is like a past one without data: the dossiers
  // overdue today are none of its figures.
  const auto t = today();
  f.indicators.reaches_today = r.from_day <= t && t <= r.to_day;
  f.index = stats::service_index(f.indicators);
  return f;
}

Result<UnitFigures> StatsService::figures(const access::Principal& who, const UnitAsked& code,
                                          const stats::Range& range) const {
  auto u = resolve(who, code);
  if (!u) return u.error();
  const Level level = level_of(*u);
  // The three reads in one snapshot: "overdue now" never counts a dossier
  // that "open now" has not (and SQLite locks once, not three times).
  stats::Counters sums, gauge;
  std::map<std::string, std::int64_t> overdue;
  auto read = stats_.in_one_snapshot([&]() -> Result<void> {
    auto s = stats_.sum(level, u->code, range.from_day, range.to_day);
    if (!s) return s.error();
    auto g = stats_.sum(level, u->code, stats::kGaugeDay, stats::kGaugeDay);
    if (!g) return g.error();
    // A commune counts only its own; a province or the nation groups them all.
    auto o = level == Level::kUnit ? overdue_by(level, {u->code}) : overdue_by(level, {});
    if (!o) return o.error();
    sums = *s;
    gauge = *g;
    overdue = std::move(*o);
    return ok();
  });
  if (!read) return read.error();
  return make(*u, range, sums, gauge[Counter::kOpen], overdue[u->code]);
}

StatsService::Children StatsService::children_of(const StatsUnit& u) const {
  Children c;
  if (u.level == "nation") {
    c.level = Level::kProvince;
    units::UnitQuery q;
    q.level = units::Level::kProvince;
    q.at = vn_today();
    q.limit = 1000;
    c.units = units_.registry().search(q).items;
  } else if (u.level == "province") {
    for (const auto& code : communes_of(u.code)) c.units.push_back(units_.registry().at(code, vn_today()));
    c.units.push_back(units_.registry().at(u.code, vn_today()));  // the province's own agencies
  }
  for (const auto* k : c.units) c.codes.push_back(k->code);
  return c;
}

Result<std::vector<UnitFigures>> StatsService::children(const access::Principal& who,
                                                        const UnitAsked& code,
                                                        const stats::Range& range) const {
  auto u = resolve(who, code);
  if (!u) return u.error();
  const Children kids = children_of(*u);
  if (kids.units.empty()) return std::vector<UnitFigures>();
  std::map<std::string, stats::Counters> by_code, gauge_by;
  std::map<std::string, std::int64_t> overdue;
  auto read = stats_.in_one_snapshot([&]() -> Result<void> {  // as in figures()
    auto sums = stats_.sum_each(kids.level, kids.codes, range.from_day, range.to_day);
    if (!sums) return sums.error();
    static constexpr Counter kOpenOnly[] = {Counter::kOpen};
    auto gauges =
        stats_.sum_each(kids.level, kids.codes, stats::kGaugeDay, stats::kGaugeDay, kOpenOnly);
    if (!gauges) return gauges.error();
    // A province's communes are counted one by one in their own index ranges,
    // not out of the whole country's past-due dossiers.
    auto o = kids.level == Level::kUnit ? overdue_by(kids.level, kids.codes)
                                        : overdue_by(kids.level, {});
    if (!o) return o.error();
    by_code = {sums->begin(), sums->end()};
    gauge_by = {gauges->begin(), gauges->end()};
    overdue = std::move(*o);
    return ok();
  });
  if (!read) return read.error();
  std::vector<UnitFigures> out;
  for (const auto* k : kids.units) {
    out.push_back(make(child_ref(*k, *u), range, by_code[k->code],
                       gauge_by[k->code][Counter::kOpen], overdue[k->code]));
  }
  // Rank the communes (or provinces) by index score; those without a score are not ranked.
  std::vector<UnitFigures*> ranked;
  for (auto& f : out) {
    if (f.index.score && f.unit.level != "province_agencies") ranked.push_back(&f);
  }
  // By the scores as the answer shows them: each is its exact value rounded
  // once (stats/indicators.hpp), so equal scores are equal numbers and share
  // a rank. Rounded again to fewer decimals, scores at a half of the last
  // decimal went either way by floating-point noise.
  std::vector<double> shown;
  for (const auto* f : ranked) shown.push_back(*f->index.score);
  const auto ranks = stats::competition_ranks(shown);
  for (std::size_t i = 0; i < ranked.size(); ++i) ranked[i]->rank = ranks[i];
  return out;
}

Result<std::vector<SeriesDay>> StatsService::series(const access::Principal& who,
                                                    const UnitAsked& code,
                                                    const stats::Range& range) const {
  auto u = resolve(who, code);
  if (!u) return u.error();
  auto rows = stats_.days(level_of(*u), u->code, range.from_day, range.to_day, kSeriesCounters);
  if (!rows) return rows.error();
  std::vector<SeriesDay> out;
  out.reserve(static_cast<std::size_t>(range.to_day - range.from_day + 1));
  auto it = rows->begin();
  for (std::int64_t d = range.from_day; d <= range.to_day; ++d) {
    SeriesDay s{d, {}};
    if (it != rows->end() && it->key.day == d) s.counters = (it++)->counters;
    out.push_back(s);
  }
  return out;
}

Result<Warnings> StatsService::warnings(const access::Principal& who, const UnitAsked& code,
                                        std::size_t limit) const {
  auto u = resolve(who, code);
  if (!u) return u.error();
  Warnings w;
  w.unit = *u;
  const auto now = clock_();
  const Children kids = children_of(*u);
  std::vector<std::string> scope;  // the competent units whose dossiers count; none: all
  if (u->level == "commune" || u->level == "province_agencies") scope = {u->code};
  if (u->level == "province") scope = kids.codes;
  // Due within one working day of the default calendar.
  const auto calendars = calendar_.snapshot();
  dossier::CalendarClock clock(calendars->default_calendar());
  auto horizon = clock.add_working_seconds(now, clock.working_day_seconds());
  if (!horizon) return horizon.error();
  // Each list read on its own: the soonest due of all would be the overdue
  // ones only, wherever more are overdue than a list holds.
  const auto catalog = catalog_.snapshot();
  auto watch = [&](std::int64_t from, std::int64_t before, std::vector<WatchedDossier>& list,
                   std::int64_t& total) -> Result<void> {
    auto open = dossiers_.open_due(from, before, scope, limit);
    if (!open) return open.error();
    for (const auto& r : *open) {
      WatchedDossier d{r.code,           r.procedure_code, "",
                       r.competent_unit, r.state,          r.due_at.value_or(0)};
      if (const auto* p = catalog->index.find(r.procedure_code))
        d.procedure_name = p->procedure.name;
      list.push_back(std::move(d));
    }
    auto all = dossiers_.open_due_total(from, before, scope);
    if (!all) return all.error();
    // The count and the list are read apart: a dossier finished in between
    // must not leave a total smaller than its list.
    total = std::max<std::int64_t>(*all, std::ssize(list));
    return ok();
  };
  // Overdue: due before now. Due soon, as a dossier's own time status tells
  // it: at most one working day left, so due at the horizon too (a Friday
  // evening's horizon is the end of Monday, when most of Monday's are due).
  const std::int64_t earliest = std::numeric_limits<std::int64_t>::min();
  if (auto r = watch(earliest, now.epoch_seconds, w.overdue, w.overdue_total); !r) return r.error();
  if (auto r = watch(now.epoch_seconds, horizon->epoch_seconds + 1, w.due_soon, w.due_soon_total);
      !r) {
    return r.error();
  }
  // Units: this unit's children, the last 28 days against the 56 before, and
  // the last week against the three before it. Only the sums of the three
  // counters these compare are read: a province's 127 units over 84 days
  // took 13 ms when all twenty were summed.
  static constexpr Counter kCompared[] = {Counter::kReceived, Counter::kFinished, Counter::kOnTime};
  auto sums = [&](std::int64_t from, std::int64_t to) -> Result<std::map<std::string, stats::Counters>> {
    auto r = stats_.sum_each(kids.level, kids.codes, from, to, kCompared);
    if (!r) return r.error();
    return std::map<std::string, stats::Counters>(r->begin(), r->end());
  };
  auto recent = sums(today() - 27, today());
  if (!recent) return recent.error();
  auto before = sums(today() - 83, today() - 28);
  if (!before) return before.error();
  auto week = sums(today() - 6, today());
  if (!week) return week.error();
  for (const auto* k : kids.units) {
    const StatsUnit ref = child_ref(*k, *u);
    const auto now_f = stats::indicators((*recent)[k->code], 0, 0);
    const auto old_f = stats::indicators((*before)[k->code], 0, 0);
    if (now_f.on_time_rate && old_f.on_time_rate && now_f.sums[Counter::kFinished] >= 10 &&
        *now_f.on_time_rate < *old_f.on_time_rate - 0.10) {
      const int a = static_cast<int>(std::lround(*old_f.on_time_rate * 100));
      const int b = static_cast<int>(std::lround(*now_f.on_time_rate * 100));
      w.units.push_back({ref, "on_time_falling", *old_f.on_time_rate, *now_f.on_time_rate,
                         "Tỷ lệ đúng hạn giảm từ " + std::to_string(a) + "% xuống " + std::to_string(b) + "%.",
                         "On-time rate fell from " + std::to_string(a) + "% to " + std::to_string(b) + "%."});
    }
    // Backlog: dossiers received a day in the last week against the three weeks before.
    const auto last_week = (*week)[k->code][Counter::kReceived];
    const double in_week = static_cast<double>(last_week) / 7.0;
    const double usual = static_cast<double>(now_f.sums[Counter::kReceived] - last_week) / 21.0;
    if (in_week >= 5 && in_week > 1.5 * usual) {
      const auto r = static_cast<long>(std::lround(in_week));
      const auto us = static_cast<long>(std::lround(usual));
      w.units.push_back({ref, "backlog_spike", usual, in_week,
                         "Hồ sơ tiếp nhận tăng đột biến: " + std::to_string(r) + "/ngày so với " +
                             std::to_string(us) + "/ngày thường lệ.",
                         "Received dossiers spiked: " + std::to_string(r) + " a day against the usual " +
                             std::to_string(us) + "."});
    }
  }
  return w;
}

Result<DossierList> StatsService::dossier_list(const access::Principal& who, const UnitAsked& code,
                                               const stats::Range& range, stats::ListKind kind,
                                               std::size_t offset, std::size_t limit) const {
  auto u = resolve(who, code);
  if (!u) return u.error();
  if (u->level != "commune" && u->level != "province_agencies") {
    return make_error(ErrorKind::kBadRequest,
                      "Danh sách hồ sơ xem theo từng xã, hoặc các cơ quan cấp tỉnh (scope=own): " +
                          code.code + " không phải mã xã.",
                      "Dossiers are listed commune by commune, or for a province's own agencies "
                      "(scope=own): " +
                          code.code + " is not a commune code.",
                      "unit");
  }
  const std::int64_t now = clock_().epoch_seconds;
  const auto calendars = calendar_.snapshot();
  const auto catalog = catalog_.snapshot();
  // Two passes: every dossier read is decided (in the list or not, and where
  // it sorts), then only the page asked for is written out as lines. A
  // year's list decides thousands to show fifty.
  struct Pick {
    std::int64_t key;  // the list's order: newest receipt or finish first, else soonest due
    const store::DossierRecord* row;  // in `work`'s pages, which outlive the picks
  };
  // One dossier: in the list or not (nullopt), and if so where. Reads only
  // the immutable snapshots, so two threads may decide at once.
  auto decide = [&](const store::DossierRecord& r) -> Result<std::optional<Pick>> {
    const auto state = dossier::parse_state(r.state);
    if (!state) return std::optional<Pick>();
    if (kind == stats::ListKind::kReceived) {
      // By the code alone (stats::received_day), keyed by the day: the page's
      // order within its days is settled below from those days' bodies only.
      const auto day = stats::received_day(r.code);
      if (!day || *day < range.from_day || *day > range.to_day) return std::optional<Pick>();
      return std::optional<Pick>(Pick{-*day, &r});
    }
    if (kind == stats::ListKind::kOverdue && !stats::overdue_now(r.live_due, now)) {
      return std::optional<Pick>();
    }
    auto d = dossier_from_row(r);
    if (!d) return d.error();
    if (kind != stats::ListKind::kOverdue) {
      auto rows = figures_of(*d, *calendars, province_of_);
      if (!rows) return rows.error();
      if (!stats::counted_in(kind, *rows, u->code, range.from_day, range.to_day)) {
        return std::optional<Pick>();
      }
    }
    std::int64_t key = 0;
    switch (kind) {
      case stats::ListKind::kReceived:
        key = d->received_at ? -d->received_at->epoch_seconds : 0;
        break;
      case stats::ListKind::kFinished:
      case stats::ListKind::kOnTime:
      case stats::ListKind::kLate:
        key = d->finished_at ? -d->finished_at->epoch_seconds : 0;
        break;
      default:
        key = due_shown(*d, time_at(*d, *calendars, calendar::Instant{now}))
                  .value_or(std::numeric_limits<std::int64_t>::max());
    }
    return std::optional<Pick>(Pick{key, &r});
  };
  // Decides [begin, end) of `page` into `out`; the first error stops it.
  using Page = std::vector<store::DossierRecord>;
  auto decide_all = [&](const Page& page, std::size_t begin, std::size_t end,
                        std::vector<Pick>& out) -> Result<void> {
    for (std::size_t i = begin; i < end; ++i) {
      if (!stats::may_count(kind, page[i].updated_at, range.from_day)) continue;
      auto x = decide(page[i]);
      if (!x) return x.error();
      if (*x) out.push_back(**x);
    }
    return ok();
  };
  // One state at a time, each a range of the competent-unit index read in
  // its order, a page at a time; all in one snapshot, so a dossier that
  // changes state meanwhile is read once. Reading a body's JSON is most of
  // the time: the pages are decided on two threads while the next are read.
  ReadAndDecide<store::DossierRecord, Pick> work(decide_all, kListChunk);
  auto read = stats_.in_one_snapshot([&]() -> Result<void> {
    for (dossier::State state : stats::states_of(kind)) {
      const std::string name = dossier::state_name(state);
      store::InboxQuery q;
      q.clauses = {{store::InboxClause::Column::kCompetentUnit, u->code, "", {name}}};
      q.state = name;
      q.limit = kListPage;
      if (auto low = stats::lowest_due(kind, range.from_day)) q.after = {*low, ""};  // due >= low
      for (;;) {
        auto page = dossiers_.inbox(q);
        if (!page) return page.error();
        const bool last = page->size() < q.limit;
        if (!last) q.after = {page->back().due_at.value_or(store::kNoDueSortKey), page->back().id};
        work.add(std::move(*page));
        if (last) break;
      }
    }
    return ok();
  });
  if (!read) return read.error();
  auto picks = work.finish();
  if (!picks) return picks.error();
  std::vector<Pick>& all = *picks;
  const std::size_t begin = std::min(offset, all.size());
  const std::size_t end = limit == 0 ? all.size() : std::min(all.size(), begin + limit);
  const auto before = [](const Pick& a, const Pick& b) {
    return a.key != b.key ? a.key < b.key : a.row->code < b.row->code;
  };
  const auto at = [&](std::size_t i) { return all.begin() + static_cast<std::ptrdiff_t>(i); };
  if (kind == stats::ListKind::kReceived && begin < end) {
    // Ordered by day, the days the page spans are read for the exact time.
    std::sort(all.begin(), all.end(), before);
    std::size_t lo = begin, hi = end;
    while (lo > 0 && all[lo - 1].key == all[begin].key) --lo;
    while (hi < all.size() && all[hi].key == all[end - 1].key) ++hi;
    for (std::size_t i = lo; i < hi; ++i) {
      auto d = dossier_from_row(*all[i].row);
      if (!d) return d.error();
      all[i].key = d->received_at ? -d->received_at->epoch_seconds : 0;
    }
    std::sort(at(lo), at(hi), before);
  } else {
    // Only the page needs its order: what comes before or after it is left unsorted.
    std::nth_element(all.begin(), at(begin), all.end(), before);
    std::partial_sort(at(begin), at(end), all.end(), before);
  }
  DossierList out{*u, range, kind, std::ssize(all), offset, {}};
  for (std::size_t i = begin; i < end; ++i) {
    auto line = line_of(*all[i].row, *catalog, *calendars, now);
    if (!line) return line.error();
    out.items.push_back(std::move(*line));
  }
  return out;
}

Result<UnitForecast> StatsService::forecast(const access::Principal& who, const UnitAsked& code,
                                            double per_staff) const {
  auto u = resolve(who, code);
  if (!u) return u.error();
  const auto calendars = calendar_.snapshot();
  const calendar::WorkingCalendar* cal = &calendars->default_calendar();
  if (u->level != "nation") {
    if (auto c = calendars->calendar_for(u->code, clock_()); c) cal = *c;
  }
  const std::int64_t t = today();
  static constexpr Counter kReceivedOnly[] = {Counter::kReceived};
  // The history starts on the platform's first day with figures (the
  // nation's first row), if that is within kHistoryDays: the days before a
  // deployment are not days without receipts, and read as zeros they pulled
  // the forecast and its back-test down.
  std::int64_t start = t - kHistoryDays;
  std::vector<stats::Row> rows;
  auto read = stats_.in_one_snapshot([&]() -> Result<void> {
    // From a month's first day: a range starting in the gauge's month (day
    // 0) would subtract the gauge's day, which its month does not hold.
    const auto since = calendar::days_from_civil({1970, 2, 1});
    auto earlier = stats_.sum(Level::kNation, stats::kNationCode, since, start - 1);
    if (!earlier) return earlier.error();
    if (earlier->zero()) {
      auto nation = stats_.days(Level::kNation, stats::kNationCode, start, t - 1, kReceivedOnly);
      if (!nation) return nation.error();
      start = nation->empty() ? t : nation->front().key.day;
    }
    auto own = stats_.days(level_of(*u), u->code, start, t - 1, kReceivedOnly);
    if (!own) return own.error();
    rows = std::move(*own);
    return ok();
  });
  if (!read) return read.error();
  std::map<std::int64_t, std::int64_t> received;
  for (const auto& r : rows) received[r.key.day] = r.counters[Counter::kReceived];
  std::vector<stats::DayCount> history;
  for (std::int64_t d = start; d < t; ++d) {
    if (cal->is_working_day(calendar::civil_from_days(d))) history.push_back({d, received[d]});
  }
  std::vector<std::int64_t> days;
  for (std::int64_t d = t + 1; days.size() < kForecastDays && d < t + 120; ++d) {
    if (cal->is_working_day(calendar::civil_from_days(d))) days.push_back(d);
  }
  UnitForecast f;
  f.unit = *u;
  f.per_staff = per_staff;
  f.history_days = static_cast<int>(history.size());
  if (!history.empty()) f.history_from = history.front().day;
  const auto expected = stats::forecast(history, days);
  for (std::size_t i = 0; i < days.size(); ++i) {
    f.days.push_back({days[i], expected[i], stats::staff_for(expected[i], per_staff)});
  }
  f.error = stats::backtest(history, kForecastDays);
  return f;
}

Result<std::vector<stats::Row>> StatsService::recompute(
    std::vector<LiveDueDifference>* live,
    std::shared_ptr<const CalendarService::Snapshot> calendars) const {
  if (!calendars) calendars = calendar_.snapshot();
  std::map<stats::Key, stats::Counters> sums;
  auto scanned = dossiers_.scan([&](const store::DossierRecord& r) -> Result<void> {
    auto d = dossier_from_row(r);
    if (!d) return d.error();
    if (live) {
      const auto due = indexed_due(*d, *calendars);
      const auto want = dossier::live_due(*d, due);
      if (due != r.due_at || want != r.live_due)
        live->push_back({r.id, r.live_due, want, r.version, due});
    }
    auto rows = figures_of(*d, *calendars, province_of_);
    if (!rows) return rows.error();
    for (const auto& row : *rows) sums[row.key] += row.counters;
    return ok();
  });
  if (!scanned) return scanned.error();
  std::vector<stats::Row> out;
  for (const auto& [k, c] : sums) {
    if (!c.zero()) out.push_back({k, c});
  }
  return out;
}

Result<StatsService::Counted> StatsService::counted(
    std::vector<LiveDueDifference>* live, bool with_months,
    std::shared_ptr<const CalendarService::Snapshot> calendars) const {
  // The dossiers and the counters as of one moment: read apart, a change
  // committed in between showed as a difference, and a rebuild lost it.
  Counted out;
  auto read = stats_.in_one_snapshot([&]() -> Result<void> {
    auto fresh = recompute(live, calendars);
    if (!fresh) return fresh.error();
    out.fresh = std::move(*fresh);
    auto days = stats_.all();
    if (!days) return days.error();
    out.days = std::move(*days);
    if (!with_months) return ok();
    auto months = stats_.months();
    if (!months) return months.error();
    out.months = std::move(*months);
    return ok();
  });
  if (!read) return read.error();
  return out;
}

Result<std::size_t> StatsService::rebuild() const {
  // Computed in one snapshot, with the rows as they stood in it; replaced only
  // if no counted change came after (else it would be lost): a few tries
  // while writers run, then a conflict saying so.
  auto due = recount_due();
  if (!due) return due.error();
  return rebuild(due->first, due->second);
}

Result<std::pair<std::vector<std::string>, std::shared_ptr<const CalendarService::Snapshot>>>
StatsService::recount_due() const {
  // A calendar change marks the counters and publishes its calendars under
  // this lock: each mark read here is counted with its change's calendars,
  // and one landing later leaves its mark for the next rebuild.
  const auto hold = calendar_.hold_changes();
  auto due = stats_.rebuild_due();
  if (!due) return due.error();
  // A units import this process has not loaded is left for one that has:
  // recounting by the older registry would only count it again wrongly.
  std::erase_if(*due, [this](const std::string& reason) {
    const auto import = store::units_import_of(reason);
    return import && *import > units_.import_id();
  });
  if (due->empty()) return std::pair{std::move(*due), calendar_.snapshot()};
  // The mark may be another process's change, which this one's calendars
  // lack: the store's, read after the marks, hold every change marked.
  auto calendars = calendar_.stored_snapshot();
  if (!calendars) return calendars.error();
  return std::pair{std::move(*due), std::move(*calendars)};
}

Result<std::size_t> StatsService::rebuild(
    const std::vector<std::string>& due,
    const std::shared_ptr<const CalendarService::Snapshot>& calendars) const {
  constexpr int kTries = 3;
  for (int attempt = 1;; ++attempt) {
    std::vector<LiveDueDifference> stale;
    auto read = counted(&stale, false, calendars);
    if (!read) return read.error();
    auto put = stats_.replace_all(read->fresh, &read->days, &due);
    if (put) {
      // The due times a calendar change moved: the overdue counts, the
      // warnings and the sweep read them from the rows. A row changed since
      // it was read was indexed by its writer.
      for (const auto& s : stale) {
        auto r = dossiers_.reindex_due(s.dossier_id, s.version, s.due_at, s.recomputed);
        if (!r) return r.error();
      }
      return read->fresh.size();
    }
    if (put.error().kind != ErrorKind::kConflict || attempt == kTries) return put.error();
  }
}

Result<std::vector<std::string>> StatsService::rebuild_if_due() const {
  auto due = recount_due();
  if (!due) return due.error();
  if (!due->first.empty()) {
    if (auto r = rebuild(due->first, due->second); !r) return r.error();
  }
  return std::move(due->first);
}

Result<StatsService::Verification> StatsService::verify() const {
  Verification out;
  auto due = stats_.rebuild_due();
  if (!due) return due.error();
  out.rebuild_due = std::move(*due);
  auto read = counted(&out.live_due, true);
  if (!read) return read.error();
  const auto& [fresh_rows, days, months] = *read;
  // The daily rows against the recomputation, then the monthly rollup against its months.
  auto compare = [&out](const std::vector<stats::Row>& stored, const std::vector<stats::Row>& want,
                        bool month) {
    std::map<stats::Key, Difference> diff;
    for (const auto& r : stored) {
      if (!r.counters.zero()) diff[r.key].stored = r.counters;
    }
    for (const auto& r : want) diff[r.key].recomputed = r.counters;
    for (auto& [k, d] : diff) {
      if (d.stored != d.recomputed) {
        d.key = k;
        d.month = month;
        out.counters.push_back(d);
      }
    }
  };
  compare(days, fresh_rows, false);
  compare(months, stats::months_of(fresh_rows), true);
  return out;
}

}  // namespace motcua::services
