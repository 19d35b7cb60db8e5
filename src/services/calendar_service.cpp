#include "services/calendar_service.hpp"

#include <cstdio>
#include <random>
#include <set>
#include <utility>

namespace motcua::services {
namespace {

namespace cal = calendar;

Error bad_field(std::string field, std::string vi, std::string en) {
  return make_error(ErrorKind::kBadRequest, std::move(vi), std::move(en), std::move(field));
}

std::string indexed(const char* list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

Result<void> check_in_year(int year, cal::CivilDate d, const std::string& field) {
  if (cal::is_valid(d) && d.year == year) return ok();
  return bad_field(
      field, "Ngày " + cal::to_string(d) + " không thuộc năm " + std::to_string(year) + ".",
      "The date " + cal::to_string(d) + " is not in the year " + std::to_string(year) + ".");
}

Error out_of_years(const char* field, int first, int last) {
  const std::string range = std::to_string(first) + "-" + std::to_string(last);
  return bad_field(field, "Năm của '" + std::string(field) + "' phải nằm trong " + range + ".",
                   "The year of '" + std::string(field) + "' must lie within " + range + ".");
}

// The domain names the amount "n_days"/"n_hours" and an instant out of the
// calendar "date"; the service's callers know them as "n" and "from".
Error renamed(Error e) {
  if (e.param == "n_days" || e.param == "n_hours") e.param = "n";
  if (e.param == "date") e.param = "from";
  return e;
}

cal::CalendarConfig config_of(const UnitCalendarSettings& s) {
  cal::CalendarConfig c;
  c.hours = s.hours;
  c.receipt_cutoff = s.receipt_cutoff;
  return c;
}

UnitCalendarSettings settings_of(const store::UnitCalendarSettingsRecord& r) {
  return UnitCalendarSettings{r.hours, r.receipt_cutoff};
}

bool is_calendar_level(units::Level level) {
  return level == units::Level::kCommune || level == units::Level::kProvince;
}

// A code of 1-6 digits as one integer that keeps its length, so that "01"
// (a province) and "00001" (a commune) differ; 0 for anything else.
std::uint32_t unit_key(std::string_view code) {
  if (code.empty() || code.size() > 6) return 0;
  std::uint32_t value = 0;
  for (char c : code) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return (static_cast<std::uint32_t>(code.size()) << 24) | value;
}

std::int64_t day_of(const std::string& iso, std::int64_t open_end) {
  if (iso.empty()) return open_end;
  auto d = cal::parse_civil_date(iso);
  return d ? cal::days_from_civil(*d) : open_end;
}

cal::Instant now() {
  return cal::Instant{std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count()};
}

}  // namespace

const char* due_kind_name(DueKind kind) {
  switch (kind) {
    case DueKind::kWorkingDays:
      return "working_days";
    case DueKind::kWorkingHours:
      return "working_hours";
    case DueKind::kCalendarDays:
      return "calendar_days";
  }
  return "working_days";
}

Result<void> check_overrides(const cal::YearOverrides& o) {
  const int y = o.year;
  if (o.tet_days) {
    // The Labour Code's five days (see cal::validate_overrides): the whole
    // announced period here would make its weekend days up again after it.
    if (o.tet_days->empty() || o.tet_days->size() > cal::YearOverrides::kMaxTetDays) {
      return bad_field("tet_days",
                       "Danh sách ngày nghỉ Tết có từ 1 đến 5 ngày: các ngày Tết theo Bộ luật Lao "
                       "động; ngày nghỉ thêm theo quyết định của Chính phủ nhập ở days_off.",
                       "The list of Tết days holds 1 to 5 dates: the Labour Code's Tết days; the "
                       "government's extra days off go in days_off.");
    }
    std::set<cal::CivilDate> seen;
    for (std::size_t i = 0; i < o.tet_days->size(); ++i) {
      const cal::CivilDate d = (*o.tet_days)[i];
      if (auto r = check_in_year(y, d, indexed("tet_days", i)); !r) return r;
      if (!seen.insert(d).second) {
        return bad_field(indexed("tet_days", i), "Ngày Tết " + cal::to_string(d) + " bị lặp.",
                         "The Tết day " + cal::to_string(d) + " is listed twice.");
      }
    }
  }
  if (o.national_day_adjacent && *o.national_day_adjacent != cal::CivilDate{y, 9, 1} &&
      *o.national_day_adjacent != cal::CivilDate{y, 9, 3}) {
    return bad_field(
        "national_day_adjacent",
        "Ngày nghỉ liền kề Quốc khánh phải là 01/9 hoặc 03/9 của năm " + std::to_string(y) + ".",
        "The day next to National Day must be 1 or 3 September " + std::to_string(y) + ".");
  }
  std::set<cal::CivilDate> off;
  for (std::size_t i = 0; i < o.days_off.size(); ++i) {
    const std::string field = indexed("days_off", i) + ".date";
    if (auto r = check_in_year(y, o.days_off[i].date, field); !r) return r;
    if (!off.insert(o.days_off[i].date).second) {
      return bad_field(field, "Ngày nghỉ " + cal::to_string(o.days_off[i].date) + " bị lặp.",
                       "The day off " + cal::to_string(o.days_off[i].date) + " is listed twice.");
    }
  }
  std::set<cal::CivilDate> work;
  for (std::size_t i = 0; i < o.working_days.size(); ++i) {
    const cal::CivilDate d = o.working_days[i].date;
    const std::string field = indexed("working_days", i) + ".date";
    if (auto r = check_in_year(y, d, field); !r) return r;
    if (off.count(d) != 0) {
      return bad_field(field,
                       "Ngày " + cal::to_string(d) + " vừa là ngày nghỉ vừa là ngày làm việc.",
                       cal::to_string(d) + " is both a day off and a working day.");
    }
    if (!work.insert(d).second) {
      return bad_field(field, "Ngày làm việc " + cal::to_string(d) + " bị lặp.",
                       "The working day " + cal::to_string(d) + " is listed twice.");
    }
  }
  // The domain's own rule, in case it says more than the checks above.
  return cal::validate_overrides(o);
}

Result<void> check_settings(const UnitCalendarSettings& s) {
  const auto& h = s.hours;
  const std::pair<const char*, cal::TimeOfDay> times[] = {{"morning_start", h.morning_start},
                                                          {"morning_end", h.morning_end},
                                                          {"afternoon_start", h.afternoon_start},
                                                          {"afternoon_end", h.afternoon_end}};
  for (const auto& [field, t] : times) {
    if (t.minutes < 0 || t.minutes > 24 * 60) {
      return bad_field(field, std::string("'") + field + "' phải là giờ trong ngày (00:00-24:00).",
                       std::string("'") + field + "' must be a time of day (00:00-24:00).");
    }
  }
  if (!(h.morning_start < h.morning_end)) {
    return bad_field("morning_end", "Giờ kết thúc buổi sáng phải sau giờ bắt đầu.",
                     "The morning must end after it starts.");
  }
  if (h.afternoon_start < h.morning_end) {
    return bad_field("afternoon_start",
                     "Buổi chiều không được bắt đầu trước khi buổi sáng kết thúc.",
                     "The afternoon must not start before the morning ends.");
  }
  if (!(h.afternoon_start < h.afternoon_end)) {
    return bad_field("afternoon_end", "Giờ kết thúc buổi chiều phải sau giờ bắt đầu.",
                     "The afternoon must end after it starts.");
  }
  if (s.receipt_cutoff &&
      (*s.receipt_cutoff <= h.morning_start || h.afternoon_end < *s.receipt_cutoff)) {
    return bad_field("receipt_cutoff",
                     "Giờ chốt tiếp nhận phải sau " + cal::to_string(h.morning_start) +
                         " và không muộn hơn " + cal::to_string(h.afternoon_end) + ".",
                     "The receipt cut-off must be after " + cal::to_string(h.morning_start) +
                         " and no later than " + cal::to_string(h.afternoon_end) + ".");
  }
  return ok();
}

// ---------------------------------------------------------------------------
// Snapshot

Result<const cal::WorkingCalendar*> CalendarService::Snapshot::calendar_for(
    std::string_view unit_code, cal::Instant at) const {
  const std::int64_t day = cal::local_day_number(at);
  if (auto it = span_index_.find(unit_key(unit_code)); it != span_index_.end()) {
    const UnitSpan* span = spans_.data() + it->second.first;
    for (std::uint32_t i = 0; i < it->second.count; ++i, ++span) {
      if (span->from_day <= day && day < span->to_day) return span->calendar;
    }
  }
  const std::string date = cal::to_string(cal::to_local(at).date);
  return make_error(ErrorKind::kUnprocessable,
                    "Không có xã, phường hoặc tỉnh mã '" + std::string(unit_code) +
                        "' còn hiệu lực ngày " + date + ".",
                    "There is no commune, ward or province with code '" + std::string(unit_code) +
                        "' in force on " + date + ".",
                    "unit");
}

EffectiveSettings CalendarService::Snapshot::settings_for(const units::UnitVersion& unit) const {
  EffectiveSettings out;
  out.unit_code = unit.code;
  auto use = [&](const char* source, const std::string& code) {
    auto it = settings_.find(code);
    if (it == settings_.end()) return false;
    out.source = source;
    out.record = it->second;
    out.settings = settings_of(it->second);
    return true;
  };
  if (use("unit", unit.code)) return out;
  if (unit.level == units::Level::kCommune && use("province", unit.province_code)) return out;
  const auto& c = default_->config();
  out.settings = UnitCalendarSettings{c.hours, c.receipt_cutoff};
  return out;
}

// ---------------------------------------------------------------------------
// Building and publishing

Result<std::unique_ptr<CalendarService>> CalendarService::create(store::CalendarStore& store,
                                                                 const UnitService& units) {
  std::unique_ptr<CalendarService> svc(new CalendarService(store, units));
  const cal::CalendarConfig defaults;
  svc->first_year_ = defaults.first_year;
  svc->last_year_ = defaults.last_year;

  auto snap = svc->stored_snapshot();
  if (!snap) return snap.error();
  svc->snapshot_.store(std::move(*snap));
  return svc;
}

Result<CalendarService::Stored> CalendarService::stored() const {
  Stored out;
  auto years = store_.year_overrides();
  if (!years) return years.error();
  for (auto& r : *years) {
    const int year = r.overrides.year;
    out.overrides.emplace(year, std::move(r));
  }
  auto rows = store_.unit_settings();
  if (!rows) return rows.error();
  for (auto& r : *rows) {
    std::string code = r.unit_code;
    out.settings.emplace(std::move(code), std::move(r));
  }
  return out;
}

Result<std::shared_ptr<const CalendarService::Snapshot>> CalendarService::stored_snapshot() const {
  auto s = stored();
  if (!s) return s.error();
  return build(std::move(s->overrides), std::move(s->settings), nullptr);
}

Result<bool> CalendarService::refresh() {
  std::lock_guard lock(write_mutex_);
  auto s = stored();
  if (!s) return s.error();
  const auto current = snapshot_.load();
  const bool same_decisions = s->overrides == current->overrides_;
  bool published = false;
  if (!same_decisions || s->settings != current->settings_) {
    // The calendars are reused only when the decisions they hold are the same.
    auto next = build(std::move(s->overrides), std::move(s->settings),
                      same_decisions ? current.get() : nullptr);
    if (!next) return next.error();
    // Marked before publishing too: a process that stops between publishing
    // and the mark below still leaves one for what it had counted with its
    // old calendars (all but a write committed after a recount in between).
    if (auto r = store_.mark_counters(change_mark("calendars changed by another process")); !r) {
      return r.error();
    }
    snapshot_.store(std::move(*next));
    mark_owed_ = change_mark("calendars changed by another process");
    published = true;
  }
  if (!mark_owed_.empty()) {
    if (auto r = store_.mark_counters(mark_owed_); !r) return r.error();
    mark_owed_.clear();
  }
  return published;
}

Result<std::shared_ptr<const CalendarService::Snapshot>> CalendarService::build(
    std::map<int, store::YearOverridesRecord> overrides,
    std::map<std::string, store::UnitCalendarSettingsRecord, std::less<>> settings,
    const Snapshot* previous) const {
  auto snap = std::make_shared<Snapshot>();
  snap->registry_ = &units_.registry();
  std::vector<cal::YearOverrides> decisions;
  decisions.reserve(overrides.size());
  for (const auto& [year, r] : overrides) decisions.push_back(r.overrides);

  // One calendar per distinct set of hours, shared by the units that use it.
  std::vector<std::pair<UnitCalendarSettings, std::shared_ptr<const cal::WorkingCalendar>>> built;
  if (previous != nullptr) {
    const auto& c = previous->default_->config();
    built.emplace_back(UnitCalendarSettings{c.hours, c.receipt_cutoff}, previous->default_);
    for (const auto& [code, calendar] : previous->by_unit_) {
      const auto& pc = calendar->config();
      built.emplace_back(UnitCalendarSettings{pc.hours, pc.receipt_cutoff}, calendar);
    }
  }
  auto calendar_of =
      [&](const UnitCalendarSettings& s) -> Result<std::shared_ptr<const cal::WorkingCalendar>> {
    for (const auto& [key, calendar] : built) {
      if (key == s) return calendar;
    }
    auto created = cal::WorkingCalendar::create(config_of(s), decisions);
    if (!created) return created.error();
    auto calendar = std::make_shared<const cal::WorkingCalendar>(std::move(*created));
    built.emplace_back(s, calendar);
    return calendar;
  };

  auto base = calendar_of(UnitCalendarSettings{});
  if (!base) return base.error();
  snap->default_ = std::move(*base);
  for (const auto& [code, row] : settings) {
    auto calendar = calendar_of(settings_of(row));
    if (!calendar) return calendar.error();
    snap->by_unit_.emplace(code, std::move(*calendar));
  }
  snap->overrides_ = std::move(overrides);
  snap->settings_ = std::move(settings);

  // Every dated commune and province with its calendar: own row, else the
  // province's, else the default.
  auto calendar_of_code = [&](const std::string& code) -> const cal::WorkingCalendar* {
    auto it = snap->by_unit_.find(code);
    return it == snap->by_unit_.end() ? nullptr : it->second.get();
  };
  for (const units::UnitVersion& v : units_.registry().all_versions()) {
    if (!is_calendar_level(v.level)) continue;
    const std::uint32_t key = unit_key(v.code);
    if (key == 0) continue;
    const cal::WorkingCalendar* calendar = calendar_of_code(v.code);
    if (calendar == nullptr && v.level == units::Level::kCommune) {
      calendar = calendar_of_code(v.province_code);
    }
    if (calendar == nullptr) calendar = snap->default_.get();
    auto [it, inserted] = snap->span_index_.try_emplace(
        key, Snapshot::SpanRange{static_cast<std::uint32_t>(snap->spans_.size()), 0});
    // all_versions() is sorted by code: the versions of a code are adjacent.
    if (!inserted && it->second.first + it->second.count != snap->spans_.size()) continue;
    snap->spans_.push_back(
        {day_of(v.valid_from, INT64_MIN), day_of(v.valid_to, INT64_MAX), calendar});
    ++it->second.count;
  }
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

Result<const units::UnitVersion*> CalendarService::calendar_unit(std::string_view code) const {
  const auto versions = units_.registry().versions(code);
  if (versions.empty()) {
    return make_error(
        ErrorKind::kNotFound, "Không có đơn vị hành chính mã " + std::string(code) + ".",
        "There is no administrative unit with code " + std::string(code) + ".", "code");
  }
  // The newest version: settings belong to the code as it is now.
  const units::UnitVersion* unit = versions.back();
  if (!is_calendar_level(unit->level)) {
    return make_error(ErrorKind::kUnprocessable,
                      "Chỉ xã, phường, đặc khu và tỉnh có lịch làm việc riêng; mã " +
                          std::string(code) + " là " + unit->full_name + ".",
                      "Only communes, wards, special zones and provinces have working hours; " +
                          std::string(code) + " is " + unit->full_name + ".",
                      "code");
  }
  return unit;
}

// ---------------------------------------------------------------------------
// Reads

Result<cal::Instant> CalendarService::due(std::string_view unit_code, cal::Instant received, int n,
                                          DueKind kind,
                                          std::span<const cal::Interval> pauses) const {
  const auto snap = snapshot_.load();
  const cal::CivilDate date = cal::to_local(received).date;
  if (date.year < first_year_ || date.year > last_year_) {
    return out_of_years("from", first_year_, last_year_);
  }
  auto calendar = snap->calendar_for(unit_code, received);
  if (!calendar) return calendar.error();
  Result<cal::Instant> r = cal::Instant{};
  switch (kind) {
    case DueKind::kWorkingDays:
      r = (*calendar)->due_after_working_days(received, n, pauses);
      break;
    case DueKind::kWorkingHours:
      r = (*calendar)->due_after_working_hours(received, n, pauses);
      break;
    case DueKind::kCalendarDays:
      if (!pauses.empty()) {
        return bad_field("pauses", "Thời hạn tính theo ngày lịch không tạm dừng.",
                         "A time limit in calendar days does not pause.");
      }
      r = (*calendar)->due_after_calendar_days(received, n);
      break;
  }
  if (!r) return renamed(r.error());
  return r;
}

Result<cal::Instant> CalendarService::clock_start(std::string_view unit_code, cal::Instant received,
                                                  DueKind kind) const {
  const auto snap = snapshot_.load();
  const cal::CivilDate date = cal::to_local(received).date;
  if (date.year < first_year_ || date.year > last_year_) {
    return out_of_years("from", first_year_, last_year_);
  }
  auto calendar = snap->calendar_for(unit_code, received);
  if (!calendar) return calendar.error();
  if (kind == DueKind::kCalendarDays) {
    auto day = (*calendar)->receipt_day(received);
    if (!day) return renamed(day.error());
    return cal::to_instant(cal::add_days(*day, 1), 0);
  }
  auto r = (*calendar)->clock_start(received, kind == DueKind::kWorkingHours
                                                  ? cal::DeadlineUnit::kWorkingHours
                                                  : cal::DeadlineUnit::kWorkingDays);
  if (!r) return renamed(r.error());
  return r;
}

Result<WorkingTime> CalendarService::working_time(std::string_view unit_code, cal::Instant from,
                                                  cal::Instant to,
                                                  std::span<const cal::Interval> pauses) const {
  const auto snap = snapshot_.load();
  const cal::CivilDate from_date = cal::to_local(from).date;
  const cal::CivilDate to_date = cal::to_local(to).date;
  if (from_date.year < first_year_ || from_date.year > last_year_) {
    return out_of_years("from", first_year_, last_year_);
  }
  if (to_date.year < first_year_ || to_date.year > last_year_) {
    return out_of_years("to", first_year_, last_year_);
  }
  auto calendar = snap->calendar_for(unit_code, from);
  if (!calendar) return calendar.error();
  auto seconds = (*calendar)->working_time_between(from, to, pauses);
  if (!seconds) return seconds.error();
  return WorkingTime{*seconds, (*calendar)->working_day_length()};
}

Result<YearView> CalendarService::year(int year, std::string_view unit_code) const {
  if (year < first_year_ || year > last_year_) {
    const std::string range = std::to_string(first_year_) + "-" + std::to_string(last_year_);
    return bad_field("year", "Năm phải nằm trong " + range + ".",
                     "The year must lie within " + range + ".");
  }
  const auto snap = snapshot_.load();
  YearView view;
  view.year = year;
  const cal::WorkingCalendar* calendar = snap->default_.get();
  if (!unit_code.empty()) {
    // The unit as it is on 1 January of the year, else as it is now.
    const units::UnitVersion* unit =
        units_.registry().at(unit_code, cal::to_string(cal::CivilDate{year, 1, 1}));
    if (unit == nullptr) {
      auto now_unit = calendar_unit(unit_code);
      if (!now_unit) {
        Error e = now_unit.error();
        e.kind = ErrorKind::kUnprocessable;
        e.param = "unit";
        return e;
      }
      unit = *now_unit;
    } else if (!is_calendar_level(unit->level)) {
      return make_error(
          ErrorKind::kUnprocessable,
          "Mã " + std::string(unit_code) + " không phải xã, phường hay tỉnh.",
          "The code " + std::string(unit_code) + " is not a commune, ward or province.", "unit");
    }
    view.settings = snap->settings_for(*unit);
    auto it =
        snap->by_unit_.find(view.settings.record ? view.settings.record->unit_code : std::string());
    if (it != snap->by_unit_.end()) calendar = it->second.get();
  } else {
    const auto& c = calendar->config();
    view.settings.settings = UnitCalendarSettings{c.hours, c.receipt_cutoff};
  }
  for (auto& h : calendar->holidays(year)) {
    const bool working = calendar->is_working_day(h.date);
    view.days.push_back(CalendarDay{std::move(h), working});
  }
  if (auto it = snap->overrides_.find(year); it != snap->overrides_.end()) {
    view.overrides = it->second;
  }
  return view;
}

Result<std::optional<store::YearOverridesRecord>> CalendarService::overrides(int year) const {
  if (year < first_year_ || year > last_year_) {
    const std::string range = std::to_string(first_year_) + "-" + std::to_string(last_year_);
    return bad_field("year", "Năm phải nằm trong " + range + ".",
                     "The year must lie within " + range + ".");
  }
  const auto snap = snapshot_.load();
  auto it = snap->overrides_.find(year);
  if (it == snap->overrides_.end()) return std::optional<store::YearOverridesRecord>();
  return std::optional(it->second);
}

Result<EffectiveSettings> CalendarService::unit_settings(std::string_view unit_code) const {
  auto unit = calendar_unit(unit_code);
  if (!unit) return unit.error();
  return snapshot_.load()->settings_for(**unit);
}

// ---------------------------------------------------------------------------
// Writes: check, store, then publish. A failure at any step publishes nothing.

std::string CalendarService::change_mark(const std::string& what) {
  // Unique across processes too: two servers' changes in one second must not
  // share a mark, which a recount that saw only one of them would clear.
  if (process_tag_.empty()) {
    std::random_device random;
    char tag[17];
    std::snprintf(tag, sizeof tag, "%08x%08x", random(), random());
    process_tag_ = tag;
  }
  return "calendar_changed: " + what + " at " + cal::to_rfc3339(now()) + " #" + process_tag_ + "-" +
         std::to_string(++changes_);
}

Result<store::YearOverridesRecord> CalendarService::set_overrides(cal::YearOverrides o,
                                                                  std::string actor) {
  if (o.year < first_year_ || o.year > last_year_) {
    const std::string range = std::to_string(first_year_) + "-" + std::to_string(last_year_);
    return bad_field("year", "Năm phải nằm trong " + range + ".",
                     "The year must lie within " + range + ".");
  }
  if (auto r = check_overrides(o); !r) return r.error();

  std::lock_guard lock(write_mutex_);
  const auto current = snapshot_.load();
  store::YearOverridesRecord record{std::move(o), std::move(actor), now()};
  auto overrides = current->overrides_;
  overrides.insert_or_assign(record.overrides.year, record);
  // Every calendar depends on the decisions: rebuild them all.
  auto next = build(std::move(overrides), current->settings_, nullptr);
  if (!next) return next.error();
  const std::string mark = change_mark("holidays of " + std::to_string(record.overrides.year));
  if (auto r = store_.put_year_overrides(record, mark); !r) return r.error();
  snapshot_.store(std::move(*next));
  return record;
}

Result<EffectiveSettings> CalendarService::set_unit_settings(std::string_view unit_code,
                                                             UnitCalendarSettings settings,
                                                             std::string actor) {
  auto unit = calendar_unit(unit_code);
  if (!unit) return unit.error();
  if (auto r = check_settings(settings); !r) return r.error();

  std::lock_guard lock(write_mutex_);
  const auto current = snapshot_.load();
  store::UnitCalendarSettingsRecord record{std::string(unit_code), settings.hours,
                                           settings.receipt_cutoff, std::move(actor), now()};
  auto rows = current->settings_;
  rows.insert_or_assign(record.unit_code, record);
  // The decisions did not change: calendars with the same hours are reused.
  auto next = build(current->overrides_, std::move(rows), current.get());
  if (!next) return next.error();
  const std::string mark = change_mark("working hours of unit " + record.unit_code);
  if (auto r = store_.put_unit_settings(record, mark); !r) return r.error();
  snapshot_.store(*next);
  return (*next)->settings_for(**unit);
}

}  // namespace motcua::services
