#include "domain/calendar/working_calendar.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "domain/calendar/lunar.hpp"

namespace motcua::calendar {
namespace {

Error config_error(const std::string& vi, const std::string& en, const std::string& param) {
  return make_error(ErrorKind::kBadRequest, "Cấu hình lịch làm việc không hợp lệ: " + vi,
                    "Invalid working calendar configuration: " + en, param);
}

Error negative_amount(const char* param) {
  return make_error(ErrorKind::kBadRequest, "Thời hạn giải quyết không được âm.",
                    "The processing time must not be negative.", param);
}

// Pauses sorted by start and merged where they overlap or touch.
std::vector<Interval> merged(std::span<const Interval> pauses) {
  std::vector<Interval> v;
  v.reserve(pauses.size());
  for (const Interval& p : pauses) {
    if (p.from < p.to) v.push_back(p);
  }
  std::sort(v.begin(), v.end(),
            [](const Interval& a, const Interval& b) { return a.from < b.from; });
  std::vector<Interval> out;
  for (const Interval& p : v) {
    if (!out.empty() && p.from <= out.back().to) {
      out.back().to = std::max(out.back().to, p.to);
    } else {
      out.push_back(p);
    }
  }
  return out;
}

Result<void> check_pauses(std::span<const Interval> pauses) {
  for (const Interval& p : pauses) {
    if (p.to < p.from) {
      return make_error(
          ErrorKind::kBadRequest,
          "Khoảng tạm dừng " + to_rfc3339(p.from) + " - " + to_rfc3339(p.to) +
              " kết thúc trước khi bắt đầu.",
          "The pause " + to_rfc3339(p.from) + " - " + to_rfc3339(p.to) + " ends before it begins.",
          "pauses");
    }
  }
  return ok();
}

}  // namespace

Result<WorkingCalendar> WorkingCalendar::create(CalendarConfig config,
                                                std::vector<YearOverrides> overrides) {
  const WorkingHours& h = config.hours;
  if (!(0 <= h.morning_start.minutes && h.morning_start < h.morning_end &&
        h.morning_end <= h.afternoon_start && h.afternoon_start < h.afternoon_end &&
        h.afternoon_end.minutes <= 24 * 60)) {
    return config_error(
        "giờ làm việc phải theo thứ tự bắt đầu sáng < kết thúc sáng <= bắt đầu chiều < kết thúc "
        "chiều, trong một ngày.",
        "working hours must be ordered morning start < morning end <= afternoon start < "
        "afternoon end, within one day.",
        "hours");
  }
  if (config.receipt_cutoff &&
      (*config.receipt_cutoff <= h.morning_start || h.afternoon_end < *config.receipt_cutoff)) {
    return config_error("giờ chốt tiếp nhận phải nằm trong giờ làm việc (" +
                            to_string(h.morning_start) + " - " + to_string(h.afternoon_end) + ").",
                        "the receipt cut-off must lie within working hours (" +
                            to_string(h.morning_start) + " - " + to_string(h.afternoon_end) + ").",
                        "receipt_cutoff");
  }
  if (config.first_year > config.last_year || config.first_year <= kLunarMinYear ||
      config.last_year >= kLunarMaxYear - 1) {
    return config_error("khoảng năm phải nằm trong " + std::to_string(kLunarMinYear + 1) + "-" +
                            std::to_string(kLunarMaxYear - 2) + ".",
                        "the range of years must lie within " + std::to_string(kLunarMinYear + 1) +
                            "-" + std::to_string(kLunarMaxYear - 2) + ".",
                        "first_year");
  }
  if ((config.rules.rest_days & 0xFE) == 0xFE) {
    return config_error("phải có ít nhất một ngày làm việc trong tuần.",
                        "at least one weekday must be a working day.", "rest_days");
  }
  std::map<int, const YearOverrides*> by_year;
  for (const YearOverrides& o : overrides) {
    if (auto r = validate_overrides(o); !r) return r.error();
    if (!by_year.emplace(o.year, &o).second) {
      return config_error("năm " + std::to_string(o.year) + " có hai bảng ngày nghỉ.",
                          "the year " + std::to_string(o.year) + " has two holiday tables.",
                          "overrides");
    }
  }

  WorkingCalendar cal;
  cal.config_ = config;
  cal.first_day_ = days_from_civil({config.first_year, 1, 1});
  // One year past the range, so that compensatory days owed at the end of the
  // last year still land inside the tables.
  cal.day_count_ = days_from_civil({config.last_year + 1, 12, 31}) + 1 - cal.first_day_;
  cal.morning_length_ = h.morning_end.seconds() - h.morning_start.seconds();
  cal.day_length_ = cal.morning_length_ + h.afternoon_end.seconds() - h.afternoon_start.seconds();
  cal.cutoff_second_ =
      config.receipt_cutoff ? config.receipt_cutoff->seconds() : h.afternoon_end.seconds();

  cal.working_.assign(static_cast<std::size_t>(cal.day_count_), 0);
  for (std::int64_t i = 0; i < cal.day_count_; ++i) {
    cal.working_[i] =
        is_rest_day(config.rules.rest_days, civil_from_days(cal.first_day_ + i)) ? 0 : 1;
  }
  auto set_day = [&](CivilDate d, bool working) {
    const std::int64_t n = days_from_civil(d);
    if (cal.in_range(n)) cal.working_[n - cal.first_day_] = working ? 1 : 0;
  };
  for (int year = config.first_year; year <= config.last_year + 1; ++year) {
    auto it = by_year.find(year);
    auto list = holidays_for_year(year, config.rules, it == by_year.end() ? nullptr : it->second);
    if (!list) return list.error();
    // Days off first, then working days, so that a worked day always wins.
    for (const Holiday& hd : *list) {
      if (hd.kind != HolidayKind::kSwappedWork) set_day(hd.date, false);
    }
    for (const Holiday& hd : *list) {
      if (hd.kind == HolidayKind::kSwappedWork) set_day(hd.date, true);
    }
    if (year <= config.last_year) cal.holidays_.push_back(std::move(*list));
  }

  cal.working_before_.resize(static_cast<std::size_t>(cal.day_count_) + 1);
  cal.working_before_[0] = 0;
  for (std::int64_t i = 0; i < cal.day_count_; ++i) {
    cal.working_before_[i + 1] = cal.working_before_[i] + cal.working_[i];
    if (cal.working_[i]) cal.working_day_index_.push_back(static_cast<std::int32_t>(i));
  }
  return cal;
}

bool WorkingCalendar::is_working_day(CivilDate date) const {
  const std::int64_t n = days_from_civil(date);
  if (!in_range(n)) return !is_rest_day(config_.rules.rest_days, date);
  return working_[n - first_day_] != 0;
}

std::vector<Holiday> WorkingCalendar::holidays(int year) const {
  if (year < config_.first_year || year > config_.last_year) return {};
  return holidays_[year - config_.first_year];
}

Error WorkingCalendar::out_of_range(Instant t) const {
  const std::string range =
      std::to_string(config_.first_year) + "-" + std::to_string(config_.last_year);
  return make_error(
      ErrorKind::kUnprocessable,
      "Thời điểm " + to_rfc3339(t) + " nằm ngoài lịch làm việc (" + range + ").",
      "The time " + to_rfc3339(t) + " is outside the working calendar (" + range + ").", "date");
}

Result<CivilDate> WorkingCalendar::next_working_day(CivilDate date) const {
  const std::int64_t n = days_from_civil(date) + 1;
  if (!in_range(n)) return out_of_range(to_instant(date, 0));
  const std::int32_t k = working_before_[n - first_day_];
  if (k >= static_cast<std::int32_t>(working_day_index_.size())) {
    return out_of_range(to_instant(date, 0));
  }
  return civil_from_days(first_day_ + working_day_index_[k]);
}

std::int64_t WorkingCalendar::within_day(std::int64_t s) const {
  const WorkingHours& h = config_.hours;
  return std::clamp(s, h.morning_start.seconds(), h.morning_end.seconds()) -
         h.morning_start.seconds() +
         std::clamp(s, h.afternoon_start.seconds(), h.afternoon_end.seconds()) -
         h.afternoon_start.seconds();
}

std::int64_t WorkingCalendar::cumulative(Instant t) const {
  const std::int64_t local = t.epoch_seconds + kVietnamUtcOffsetSeconds;
  const std::int64_t i = floor_div(local, kSecondsPerDay) - first_day_;
  if (i < 0) return 0;
  if (i >= day_count_) return static_cast<std::int64_t>(working_before_.back()) * day_length_;
  std::int64_t v = static_cast<std::int64_t>(working_before_[i]) * day_length_;
  if (working_[i]) v += within_day(floor_mod(local, kSecondsPerDay));
  return v;
}

Result<Instant> WorkingCalendar::instant_at(std::int64_t value) const {
  const std::int64_t k = value / day_length_;
  const std::int64_t r = value % day_length_;
  const WorkingHours& h = config_.hours;
  const auto count = static_cast<std::int64_t>(working_day_index_.size());
  if (r == 0 && k > 0) {
    // Exactly k whole days: the end of the k-th working day, not the start of
    // the next.
    if (k > count) return out_of_range(to_instant(civil_from_days(first_day_ + day_count_), 0));
    return to_instant(civil_from_days(first_day_ + working_day_index_[k - 1]),
                      h.afternoon_end.seconds());
  }
  if (k >= count) return out_of_range(to_instant(civil_from_days(first_day_ + day_count_), 0));
  const std::int64_t second = r <= morning_length_
                                  ? h.morning_start.seconds() + r
                                  : h.afternoon_start.seconds() + r - morning_length_;
  return to_instant(civil_from_days(first_day_ + working_day_index_[k]), second);
}

Result<std::int64_t> WorkingCalendar::start_value(Instant received, DeadlineUnit unit) const {
  const std::int64_t local = received.epoch_seconds + kVietnamUtcOffsetSeconds;
  const std::int64_t i = floor_div(local, kSecondsPerDay) - first_day_;
  if (i < 0 || i >= day_count_) return out_of_range(received);
  const bool counts_today = working_[i] && floor_mod(local, kSecondsPerDay) < cutoff_second_;
  // working_before_[i + 1] * day_length_ is the end of day i, which is also the
  // start of the next working day.
  const std::int64_t end_of_today = static_cast<std::int64_t>(working_before_[i + 1]) * day_length_;
  if (unit == DeadlineUnit::kWorkingHours) {
    return counts_today ? cumulative(received) : end_of_today;
  }
  // Working days: the budget starts at the end of the receipt day.
  return counts_today ? end_of_today : end_of_today + day_length_;
}

Result<Instant> WorkingCalendar::due_after(Instant received, DeadlineUnit unit, std::int64_t budget,
                                           std::span<const Interval> pauses) const {
  auto start = start_value(received, unit);
  if (!start) return start.error();
  std::int64_t due = *start + budget;
  if (!pauses.empty()) {
    if (auto r = check_pauses(pauses); !r) return r.error();
    for (const Interval& p : merged(pauses)) {
      const std::int64_t from = std::max(cumulative(p.from), *start);
      const std::int64_t to = cumulative(p.to);
      if (to <= from) continue;
      if (from >= due) break;
      due += to - from;
    }
  }
  if (budget == 0 && unit == DeadlineUnit::kWorkingHours) {
    // A zero budget is due when the clock starts, not at the end of the
    // previous working day.
    return clock_start(received, unit);
  }
  return instant_at(due);
}

Result<Instant> WorkingCalendar::due_after_working_days(Instant received, int n_days,
                                                        std::span<const Interval> pauses) const {
  if (n_days < 0) return negative_amount("n_days");
  return due_after(received, DeadlineUnit::kWorkingDays, n_days * day_length_, pauses);
}

Result<Instant> WorkingCalendar::due_after_working_hours(Instant received, int n_hours,
                                                         std::span<const Interval> pauses) const {
  if (n_hours < 0) return negative_amount("n_hours");
  return due_after(received, DeadlineUnit::kWorkingHours, std::int64_t{n_hours} * 3600, pauses);
}

Result<Instant> WorkingCalendar::due_after_calendar_days(Instant received, int n_days) const {
  if (n_days < 0) return negative_amount("n_days");
  // The clock starts at the midnight after the receipt day: a due time on
  // that day would come before it.
  if (n_days == 0) {
    return make_error(ErrorKind::kBadRequest, "Thời hạn tính theo ngày lịch phải từ 1 ngày.",
                      "A time limit in calendar days must be 1 day or more.", "n_days");
  }
  auto day = receipt_day_index(received);
  if (!day) return day.error();
  const std::int64_t j = *day + n_days;
  const std::int32_t k = j < day_count_
                             ? working_before_[j]  // the first working day on or after day j
                             : static_cast<std::int32_t>(working_day_index_.size());
  if (k >= static_cast<std::int32_t>(working_day_index_.size())) {
    const std::string last = std::to_string(config_.last_year);
    return make_error(ErrorKind::kUnprocessable,
                      "Hạn giải quyết rơi sau năm cuối của lịch làm việc (" + last + ").",
                      "The due time falls after the working calendar's last year (" + last + ").",
                      "n_days");
  }
  return to_instant(civil_from_days(first_day_ + working_day_index_[k]),
                    config_.hours.afternoon_end.seconds());
}

Result<std::int64_t> WorkingCalendar::receipt_day_index(Instant received) const {
  const std::int64_t local = received.epoch_seconds + kVietnamUtcOffsetSeconds;
  const std::int64_t i = floor_div(local, kSecondsPerDay) - first_day_;
  if (i < 0 || i >= day_count_) return out_of_range(received);
  if (working_[i] && floor_mod(local, kSecondsPerDay) < cutoff_second_) return i;
  // The next working day: the first after the working days before day i + 1.
  const std::size_t k = static_cast<std::size_t>(working_before_[i + 1]);
  if (k >= working_day_index_.size())
    return out_of_range(to_instant(civil_from_days(first_day_ + day_count_), 0));
  return std::int64_t{working_day_index_[k]};
}

Result<CivilDate> WorkingCalendar::receipt_day(Instant received) const {
  auto day = receipt_day_index(received);
  if (!day) return day.error();
  return civil_from_days(first_day_ + *day);
}

Result<Instant> WorkingCalendar::clock_start(Instant received, DeadlineUnit unit) const {
  auto start = start_value(received, unit);
  if (!start) return start.error();
  // Working days: the end of the receipt day.
  if (unit == DeadlineUnit::kWorkingDays) return instant_at(*start);
  // Working hours: the instant one second of working time later, less that
  // second: the receipt itself when it lies in a session, else the next
  // session's start.
  auto later = instant_at(*start + 1);
  if (!later) return later.error();
  return Instant{later->epoch_seconds - 1};
}

Result<std::chrono::seconds> WorkingCalendar::working_time_between(
    Instant from, Instant to, std::span<const Interval> pauses) const {
  if (to < from) {
    return make_error(
        ErrorKind::kBadRequest,
        "Thời điểm kết thúc " + to_rfc3339(to) + " trước thời điểm bắt đầu " + to_rfc3339(from) +
            ".",
        "The end " + to_rfc3339(to) + " is before the start " + to_rfc3339(from) + ".", "to");
  }
  if (!in_range(local_day_number(from))) return out_of_range(from);
  if (!in_range(local_day_number(to))) return out_of_range(to);
  if (auto r = check_pauses(pauses); !r) return r.error();
  std::int64_t total = cumulative(to) - cumulative(from);
  for (const Interval& p : merged(pauses)) {
    const Instant a = std::max(p.from, from);
    const Instant b = std::min(p.to, to);
    if (a < b) total -= cumulative(b) - cumulative(a);
  }
  return std::chrono::seconds(total);
}

}  // namespace motcua::calendar
