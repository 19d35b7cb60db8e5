#include "domain/dossier/event_chain.hpp"

#include <algorithm>
#include <charconv>

#include "common/json_text.hpp"
#include "common/sha256.hpp"

namespace motcua::dossier {
namespace {

ChainVerdict fault_at(ChainFault fault, std::size_t index, std::int64_t seq, std::string en,
                      std::string vi) {
  return ChainVerdict{fault, index, seq, std::move(en), std::move(vi)};
}

std::string entry_en(std::size_t index, std::int64_t seq) {
  return "entry " + std::to_string(index + 1) + " (seq " + std::to_string(seq) + ")";
}
std::string entry_vi(std::size_t index, std::int64_t seq) {
  return "bản ghi thứ " + std::to_string(index + 1) + " (seq " + std::to_string(seq) + ")";
}

// The head the log computes (`log`: its last entry's seq and hash) against
// the one stored with the dossier, naming the field that differs; no entry
// is named, since the fault is at the end, after the last one.
ChainVerdict head_mismatch(std::size_t size, const ChainHead& log, const ChainHead& stored) {
  const std::string n = std::to_string(size);
  const std::string log_seq = std::to_string(log.seq);
  const std::string stored_seq = std::to_string(stored.seq);
  std::string en, vi;
  if (stored.seq > log.seq) {
    en = "head seq differs: the stored head is seq " + stored_seq + ", but the log ends at seq " +
         log_seq + " (" + n + " entries): the entries after seq " + log_seq +
         " were cut, or the head was raised.";
    vi = "seq của đầu chuỗi khác: đầu chuỗi đã lưu là seq " + stored_seq +
         ", nhưng nhật ký kết thúc ở seq " + log_seq + " (" + n +
         " bản ghi): các bản ghi sau seq " + log_seq + " đã bị cắt, hoặc đầu chuỗi bị nâng lên.";
  } else if (stored.seq < log.seq) {
    en = "head seq differs: the stored head is seq " + stored_seq +
         ", but the log goes on to seq " + log_seq + " (" + n +
         " entries): entries were appended after the head, or the head was "
         "lowered.";
    vi = "seq của đầu chuỗi khác: đầu chuỗi đã lưu là seq " + stored_seq +
         ", nhưng nhật ký kéo dài đến seq " + log_seq + " (" + n +
         " bản ghi): có bản ghi bị thêm sau đầu chuỗi, hoặc đầu chuỗi bị hạ xuống.";
  } else {
    en = "head hash differs at seq " + log_seq + ": stored " + stored.hash +
         ", computed from the log " + log.hash +
         ": the log's last entry or the stored head was rewritten.";
    vi = "hash của đầu chuỗi khác tại seq " + log_seq + ": đã lưu " + stored.hash +
         ", tính từ nhật ký " + log.hash +
         ": bản ghi cuối của nhật ký hoặc đầu chuỗi đã lưu bị viết lại.";
  }
  return fault_at(ChainFault::kHeadMismatch, size, log.seq, std::move(en), std::move(vi));
}

}  // namespace

std::string canonical_event(const Event& e) {
  // One writer for the whole text, the actor nested in it: the simulator
  // hashes some six events per dossier, and a second string for the actor
  // was a fair share of that.
  JsonWriter w(272 + e.payload_json.size() + e.note.size());
  w.begin_object()
      .member("v", e.body_sha256.empty() ? 1 : 2)
      .member("seq", e.seq)
      .member("dossier_id", e.dossier_id)
      .member("dossier_code", e.dossier_code)
      .member("at", e.at.epoch_seconds)
      .key("actor")
      .begin_object()
      .member("user_id", e.actor_user_id)
      .member("role", e.actor_role)
      .member("unit", e.actor_unit)
      .end_object()
      .member("action", e.action)
      .member("from", e.from_state)
      .member("to", e.to_state)
      .member("note", e.note)
      .key("payload")
      .str(e.payload_json);
  if (!e.body_sha256.empty()) w.member("body_sha256", e.body_sha256);
  w.end_object();
  return w.take();
}

std::string event_hash(std::string_view prev_hash, const Event& e) {
  return to_hex(sha256({prev_hash, canonical_event(e)}));
}

ChainHead append_event(Event& e, const ChainHead& head, std::optional<std::string_view> body) {
  e.seq = head.seq + 1;
  e.prev_hash = head.hash;
  e.body_sha256 = body ? sha256_hex(*body) : std::string();
  e.hash = event_hash(e.prev_hash, e);
  return ChainHead{e.seq, e.hash};
}

void link_stored_chain(std::span<Event> events) {
  std::string_view prev = kGenesisHash;
  for (auto& e : events) {
    e.prev_hash = prev;
    prev = e.hash;
  }
}

const char* chain_fault_name(ChainFault f) {
  switch (f) {
    case ChainFault::kNone:
      return "ok";
    case ChainFault::kEdited:
      return "edited";
    case ChainFault::kBrokenLink:
      return "broken_link";
    case ChainFault::kMissing:
      return "missing";
    case ChainFault::kOutOfOrder:
      return "out_of_order";
    case ChainFault::kHeadMismatch:
      return "head_mismatch";
  }
  return "unknown";
}

ChainVerdict verify_chain(std::span<const Event> events, const ChainHead& start,
                          const std::optional<ChainHead>& expected_head) {
  ChainHead prev = start;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    const std::int64_t expected = prev.seq + 1;
    if (e.seq > expected) {
      // A later entry with the expected seq means the order changed; none, a deletion.
      const bool later =
          std::any_of(events.begin() + static_cast<std::ptrdiff_t>(i) + 1, events.end(),
                      [&](const Event& x) { return x.seq == expected; });
      if (later) {
        return fault_at(ChainFault::kOutOfOrder, i, e.seq,
                        entry_en(i, e.seq) + " comes before seq " + std::to_string(expected) +
                            ": the log was reordered.",
                        entry_vi(i, e.seq) + " đứng trước seq " + std::to_string(expected) +
                            ": nhật ký đã bị đảo thứ tự.");
      }
      return fault_at(ChainFault::kMissing, i, e.seq,
                      entry_en(i, e.seq) + " follows seq " + std::to_string(prev.seq) +
                          ": entries were deleted before it.",
                      entry_vi(i, e.seq) + " nằm sau seq " + std::to_string(prev.seq) +
                          ": có bản ghi đã bị xoá trước nó.");
    }
    if (e.seq < expected) {
      return fault_at(ChainFault::kOutOfOrder, i, e.seq,
                      entry_en(i, e.seq) + " repeats or goes back after seq " +
                          std::to_string(prev.seq) + ": an entry was inserted or moved.",
                      entry_vi(i, e.seq) + " lặp lại hoặc lùi lại sau seq " +
                          std::to_string(prev.seq) + ": có bản ghi bị chèn hoặc di chuyển.");
    }
    if (e.prev_hash != prev.hash) {
      return fault_at(ChainFault::kBrokenLink, i, e.seq,
                      entry_en(i, e.seq) +
                          " does not link to the entry before it: that entry was replaced or "
                          "this one inserted.",
                      entry_vi(i, e.seq) +
                          " không nối với bản ghi trước nó: bản ghi trước đã bị thay hoặc bản "
                          "ghi này bị chèn.");
    }
    if (event_hash(e.prev_hash, e) != e.hash) {
      return fault_at(ChainFault::kEdited, i, e.seq,
                      entry_en(i, e.seq) + " was changed after it was written.",
                      entry_vi(i, e.seq) + " đã bị sửa sau khi ghi.");
    }
    prev = ChainHead{e.seq, e.hash};
  }
  if (expected_head && (expected_head->seq != prev.seq || expected_head->hash != prev.hash)) {
    return head_mismatch(events.size(), prev, *expected_head);
  }
  return ChainVerdict{};
}

namespace {

// Reads a JSON string starting at text[i] == '"'; leaves i after it. Escapes
// other than \uXXXX are decoded; \uXXXX is kept as written (unit codes and
// state names have none).
std::optional<std::string> read_json_string(std::string_view text, std::size_t& i) {
  if (i >= text.size() || text[i] != '"') return std::nullopt;
  std::string out;
  for (++i; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      ++i;
      return out;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= text.size()) return std::nullopt;
    switch (text[i]) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u':
        out += "\\u";
        break;
      default:
        out += text[i];
    }
  }
  return std::nullopt;
}

void skip_space(std::string_view text, std::size_t& i) {
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r')) {
    ++i;
  }
}

// Skips one JSON value (nested ones whole); false if the text ends first.
bool skip_json_value(std::string_view text, std::size_t& i) {
  int depth = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      if (!read_json_string(text, i)) return false;
      if (depth == 0) return true;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') {
      if (--depth < 0) return true;  // the end of the enclosing object
      ++i;
      if (depth == 0) return true;
      continue;
    }
    if (depth == 0 && c == ',') return true;
    ++i;
  }
  return depth == 0;
}

// The string member `key` of the top-level JSON object `text`, if it has one.
std::optional<std::string> json_string_member(std::string_view text, std::string_view key) {
  std::size_t i = 0;
  skip_space(text, i);
  if (i >= text.size() || text[i] != '{') return std::nullopt;
  ++i;
  for (;;) {
    skip_space(text, i);
    if (i >= text.size() || text[i] == '}') return std::nullopt;
    auto k = read_json_string(text, i);
    if (!k) return std::nullopt;
    skip_space(text, i);
    if (i >= text.size() || text[i] != ':') return std::nullopt;
    ++i;
    skip_space(text, i);
    if (*k == key) {
      if (i < text.size() && text[i] == '"') return read_json_string(text, i);
      return std::nullopt;
    }
    if (!skip_json_value(text, i)) return std::nullopt;
    skip_space(text, i);
    if (i < text.size() && text[i] == ',') ++i;
  }
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string padded(std::int64_t n) {
  std::string s = std::to_string(n);
  if (s.size() < 4) s.insert(0, 4 - s.size(), '0');
  return s;
}

}  // namespace

std::vector<RowMismatch> check_row(const RowFacts& row, std::span<const Event> events) {
  std::vector<RowMismatch> out;
  if (events.empty()) return out;
  const Event& last = events.back();
  const std::string at = "seq " + std::to_string(last.seq);
  auto differs = [&](const char* field, const std::string& stored, const std::string& logged,
                     const std::string& what_en, const std::string& what_vi,
                     const std::string& source_en, const std::string& source_vi) {
    if (stored == logged) return;
    out.push_back(RowMismatch{field, stored, logged,
                              what_en + " " + quoted(stored) + ", but " + source_en + " " +
                                  quoted(logged) + ": the row was changed outside the program.",
                              what_vi + " " + quoted(stored) + ", nhưng " + source_vi + " " +
                                  quoted(logged) + ": dòng hồ sơ đã bị sửa ngoài chương trình."});
  };
  const std::string state_en = "the log's last entry (" + at + ") leads to";
  const std::string state_vi = "bản ghi cuối của nhật ký (" + at + ") dẫn đến";
  const std::string code_en = "the log's last entry (" + at + ") carries the code";
  const std::string code_vi = "bản ghi cuối của nhật ký (" + at + ") mang mã";
  differs("state", row.state, last.to_state, "the state column says", "cột state ghi", state_en,
          state_vi);
  differs("code", row.code, last.dossier_code, "the code column says", "cột code ghi", code_en,
          code_vi);
  // The competent unit as the last forward left it.
  std::optional<std::string> unit;
  std::int64_t forward_seq = 0;
  for (auto e = events.rbegin(); e != events.rend(); ++e) {
    if (e->action != "forward") continue;
    unit = json_string_member(e->payload_json, "to_unit");
    forward_seq = e->seq;
    break;
  }
  const std::string unit_en =
      "the last forward in the log (seq " + std::to_string(forward_seq) + ") sent it to";
  const std::string unit_vi =
      "lần chuyển cuối trong nhật ký (seq " + std::to_string(forward_seq) + ") chuyển đến";
  if (unit) {
    differs("competent_unit", row.competent_unit, *unit, "the competent_unit column says",
            "cột competent_unit ghi", unit_en, unit_vi);
  }
  const std::string n = std::to_string(events.size());
  if (row.version != static_cast<std::int64_t>(events.size())) {
    const std::string v = std::to_string(row.version);
    out.push_back(RowMismatch{
        "version", v, n,
        "the version column says " + v + ", but the log holds " + n +
            " entries (one per change): the row was changed outside the program.",
        "cột version ghi " + v + ", nhưng nhật ký có " + n +
            " bản ghi (mỗi thay đổi một bản ghi): dòng hồ sơ đã bị sửa ngoài chương trình."});
  }
  // The whole body, applicant, papers and fees included, as the last entry
  // sealed it (an entry without a digest seals nothing).
  if (!last.body_sha256.empty()) {
    differs("body.sha256", row.body_sha256, last.body_sha256,
            "the stored body (applicant, papers, fees, ...) has SHA-256",
            "nội dung hồ sơ đã lưu (người nộp, giấy tờ, phí, ...) có SHA-256",
            "the log's last entry (" + at + ") sealed it as",
            "bản ghi cuối của nhật ký (" + at + ") niêm phong là");
  }
  if (!row.body_read) {
    out.push_back(RowMismatch{"body", "", "",
                              "the stored body cannot be read as a dossier (" + row.body_error_en +
                                  "): it was changed outside the program.",
                              "không đọc được nội dung hồ sơ đã lưu (" + row.body_error_vi +
                                  "): nó đã bị sửa ngoài chương trình."});
    return out;
  }
  differs("body.state", row.body_state, last.to_state, "the body's state says",
          "trạng thái trong nội dung hồ sơ ghi", state_en, state_vi);
  differs("body.code", row.body_code, last.dossier_code, "the body's code says",
          "mã trong nội dung hồ sơ ghi", code_en, code_vi);
  if (unit) {
    differs("body.competent_unit", row.body_competent_unit, *unit, "the body's competent_unit says",
            "đơn vị giải quyết trong nội dung hồ sơ ghi", unit_en, unit_vi);
  }
  return out;
}

bool split_dossier_code(std::string_view code, std::string& agency, std::string& day,
                        std::int64_t& number) {
  const std::size_t second = code.rfind('-');
  if (second == std::string_view::npos || second == 0) return false;
  const std::size_t first = code.rfind('-', second - 1);
  if (first == std::string_view::npos || first == 0 || second - first != 7) return false;
  const std::string_view digits = code.substr(second + 1);
  if (digits.empty()) return false;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc() || end != digits.data() + digits.size() || number <= 0) return false;
  agency = std::string(code.substr(0, first));
  day = std::string(code.substr(first + 1, 6));
  return std::all_of(day.begin(), day.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<CodeRunFault> check_code_run(std::string_view agency_code, std::string_view day,
                                           std::vector<std::int64_t> numbers,
                                           std::int64_t counter) {
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  const std::int64_t highest = numbers.empty() ? 0 : numbers.back();
  const std::int64_t top = std::max(highest, counter);
  const std::int64_t missing_count = top - static_cast<std::int64_t>(numbers.size());
  if (missing_count == 0 && highest == counter) return std::nullopt;
  CodeRunFault f;
  f.agency_code = std::string(agency_code);
  f.day = std::string(day);
  f.counter = counter;
  f.highest = highest;
  f.missing_count = missing_count;
  // The numbers 1..top not present, the first few.
  std::size_t k = 0;
  for (std::int64_t n = 1; n <= top && f.missing.size() < kMaxListedMissing; ++n) {
    while (k < numbers.size() && numbers[k] < n) ++k;
    if (k < numbers.size() && numbers[k] == n) continue;
    f.missing.push_back(n);
  }
  const std::string where_en = "receipt numbers of agency " + f.agency_code + " on day " + f.day;
  const std::string where_vi = "số tiếp nhận của cơ quan " + f.agency_code + " ngày " + f.day;
  std::string list;
  for (std::int64_t n : f.missing) list += (list.empty() ? "" : ", ") + padded(n);
  const std::int64_t more = missing_count - static_cast<std::int64_t>(f.missing.size());
  const std::string count = std::to_string(missing_count);
  std::string en = where_en + ": ";
  std::string vi = where_vi + ": ";
  if (counter < highest) {
    en += "the counter stands at " + std::to_string(counter) +
          ", below the highest code present, " + padded(highest) +
          ": the counter was changed (the next receipt would take a code in use)";
    vi += "bộ đếm đang ở " + std::to_string(counter) + ", thấp hơn mã cao nhất hiện có " +
          padded(highest) + ": bộ đếm đã bị sửa (lần tiếp nhận sau sẽ lấy trùng mã)";
  } else if (counter > highest) {
    en += "the counter stands at " + std::to_string(counter) +
          ", above the highest code present (" + (highest ? padded(highest) : std::string("none")) +
          ")";
    vi += "bộ đếm đang ở " + std::to_string(counter) + ", cao hơn mã cao nhất hiện có (" +
          (highest ? padded(highest) : std::string("không có")) + ")";
  } else {
    en += "the numbers run to " + padded(highest) + " with gaps";
    vi += "các số chạy đến " + padded(highest) + " nhưng có chỗ hổng";
  }
  if (missing_count > 0) {
    en += "; " + count + " number" + (missing_count == 1 ? "" : "s") + " with no dossier: " + list +
          (more > 0 ? " and " + std::to_string(more) + " more" : "") +
          ": received dossiers were erased with their logs";
    vi += "; " + count + " số không có hồ sơ: " + list +
          (more > 0 ? " và " + std::to_string(more) + " số khác" : "") +
          ": hồ sơ đã tiếp nhận bị xoá cùng nhật ký";
  }
  f.message_en = en + ".";
  f.message_vi = vi + ".";
  return f;
}

}  // namespace motcua::dossier
