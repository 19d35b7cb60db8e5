#include "domain/calendar/civil_date.hpp"

#include <cstdio>

namespace motcua::calendar {
namespace {

// Reads exactly `width` decimal digits at `pos`; -1 if any is not a digit.
int read_digits(std::string_view s, std::size_t pos, std::size_t width) {
  if (pos + width > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

Error bad_date(std::string_view text) {
  return make_error(
      ErrorKind::kBadRequest,
      "Ngày \"" + std::string(text) + "\" không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 2025-07-01.",
      "Invalid date \"" + std::string(text) + "\": expected YYYY-MM-DD, for example 2025-07-01.");
}

Error bad_time(std::string_view text) {
  return make_error(
      ErrorKind::kBadRequest,
      "Giờ \"" + std::string(text) + "\" không hợp lệ: cần dạng HH:MM, ví dụ 07:30.",
      "Invalid time \"" + std::string(text) + "\": expected HH:MM, for example 07:30.");
}

Error bad_timestamp(std::string_view text) {
  return make_error(ErrorKind::kBadRequest,
                    "Thời điểm \"" + std::string(text) +
                        "\" không hợp lệ: cần dạng RFC 3339, ví dụ 2025-07-01T08:30:00+07:00.",
                    "Invalid timestamp \"" + std::string(text) +
                        "\": expected RFC 3339, for example 2025-07-01T08:30:00+07:00.");
}

}  // namespace

Result<CivilDate> parse_civil_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad_date(text);
  const CivilDate d{read_digits(text, 0, 4), read_digits(text, 5, 2), read_digits(text, 8, 2)};
  if (d.year < 0 || !is_valid(d)) return bad_date(text);
  return d;
}

std::string to_string(CivilDate d) {
  // By hand, not snprintf: a year's daily series writes 365 of these.
  if (d.year < 0 || d.year > 9999) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
  }
  std::string out = "0000-00-00";
  auto two = [&](std::size_t at, int v) {
    out[at] = static_cast<char>('0' + v / 10 % 10);
    out[at + 1] = static_cast<char>('0' + v % 10);
  };
  two(0, d.year / 100);
  two(2, d.year % 100);
  two(5, d.month);
  two(8, d.day);
  return out;
}

Result<TimeOfDay> parse_time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return bad_time(text);
  const int h = read_digits(text, 0, 2);
  const int m = read_digits(text, 3, 2);
  if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0)) return bad_time(text);
  return TimeOfDay::hm(h, m);
}

std::string to_string(TimeOfDay t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", t.minutes / 60, t.minutes % 60);
  return buf;
}

std::string to_rfc3339(Instant t) {
  const LocalDateTime l = to_local(t);
  const int s = static_cast<int>(l.second_of_day);
  if (l.date.year >= 0 && l.date.year <= 9999) {
    // Digits placed by hand: every dossier written or shown formats about ten
    // of these, and snprintf was a visible share of writing one.
    std::string out = "0000-00-00T00:00:00+07:00";
    auto put = [&out](std::size_t at, int value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10)
        out[at + i] = static_cast<char>('0' + value % 10);
    };
    put(0, l.date.year, 4);
    put(5, l.date.month, 2);
    put(8, l.date.day, 2);
    put(11, s / 3600, 2);
    put(14, s / 60 % 60, 2);
    put(17, s % 60, 2);
    return out;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", l.date.year, l.date.month,
                l.date.day, s / 3600, s / 60 % 60, s % 60);
  return buf;
}

Result<Instant> parse_rfc3339(std::string_view text) {
  // 2025-07-01T08:30:00 is 19 characters; then fraction, then Z or an offset.
  if (text.size() < 20) return bad_timestamp(text);
  auto date = parse_civil_date(text.substr(0, 10));
  if (!date || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return bad_timestamp(text);
  }
  const int h = read_digits(text, 11, 2);
  const int mi = read_digits(text, 14, 2);
  const int s = read_digits(text, 17, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return bad_timestamp(text);
  std::size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    const std::size_t digits_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_start) return bad_timestamp(text);
  }
  std::int64_t offset = 0;
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const int oh = read_digits(zone, 1, 2);
    const int om = read_digits(zone, 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return bad_timestamp(text);
    offset = (zone[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return bad_timestamp(text);
  }
  // A leap second (:60) is read as the next second.
  const std::int64_t wall = days_from_civil(*date) * kSecondsPerDay + h * 3600 + mi * 60 + s;
  return Instant{wall - offset};
}

}  // namespace motcua::calendar
