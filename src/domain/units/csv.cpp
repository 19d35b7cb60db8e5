#include "domain/units/csv.hpp"

#include <algorithm>

namespace motcua::units {

int CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Error csv_field_error(std::string_view source, std::size_t line, std::string_view field,
                      std::string_view problem_vi, std::string_view problem_en) {
  // Built with append: g++ 12 warns falsely (-Wrestrict) on chains of operator+.
  auto where = [&](std::string_view line_word, std::string_view field_word,
                   std::string_view problem) {
    std::string out(source);
    out.append(", ").append(line_word).append(" ").append(std::to_string(line));
    out.append(", ").append(field_word).append(" \"").append(field).append("\": ");
    out.append(problem);
    return out;
  };
  return make_error(ErrorKind::kUnprocessable, where("dòng", "trường", problem_vi),
                    where("line", "field", problem_en), std::string(field));
}

namespace {

// Names the field at `index` for messages: the header's name when known.
std::string field_name(const std::vector<std::string>& header, std::size_t index) {
  if (index < header.size()) return header[index];
  return std::string("#").append(std::to_string(index + 1));
}

}  // namespace

Result<CsvTable> parse_csv(std::string_view text, std::string_view source) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  CsvTable table;
  bool have_header = false;
  std::size_t line = 1;
  std::size_t pos = 0;
  const std::size_t n = text.size();
  std::vector<std::string> fields;

  while (pos < n) {
    const std::size_t row_line = line;
    fields.clear();
    bool any_quoted = false;
    for (;;) {  // one field per turn
      std::string field;
      if (pos < n && text[pos] == '"') {
        any_quoted = true;
        const std::size_t open_line = line;
        ++pos;
        bool closed = false;
        while (pos < n) {
          // Copy the run up to the next quote in one go.
          std::size_t stop = text.find('"', pos);
          if (stop == std::string_view::npos) stop = n;
          const auto run = text.substr(pos, stop - pos);
          line += static_cast<std::size_t>(std::count(run.begin(), run.end(), '\n'));
          field.append(run);
          pos = stop;
          if (pos == n) break;
          if (pos + 1 < n && text[pos + 1] == '"') {
            field.push_back('"');
            pos += 2;
            continue;
          }
          ++pos;
          closed = true;
          break;
        }
        if (!closed) {
          return csv_field_error(source, open_line, field_name(table.header, fields.size()),
                                 "dấu ngoặc kép không được đóng", "a quoted field is not closed");
        }
        if (pos < n && text[pos] != ',' && text[pos] != '\r' && text[pos] != '\n') {
          return csv_field_error(source, line, field_name(table.header, fields.size()),
                                 "có ký tự sau dấu ngoặc kép đóng",
                                 "text follows the closing quote");
        }
      } else {
        std::size_t stop = text.find_first_of(",\r\n\"", pos);
        if (stop == std::string_view::npos) stop = n;
        if (stop < n && text[stop] == '"') {
          return csv_field_error(source, line, field_name(table.header, fields.size()),
                                 "có dấu ngoặc kép giữa trường không bao ngoặc",
                                 "a quote inside an unquoted field");
        }
        field.assign(text.substr(pos, stop - pos));
        pos = stop;
      }
      fields.push_back(std::move(field));
      if (pos < n && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < n && text[pos] == '\r') ++pos;
      if (pos < n && text[pos] == '\n') ++pos;
      ++line;
      break;
    }
    if (fields.size() == 1 && fields[0].empty() && !any_quoted) continue;  // blank line
    if (!have_header) {
      table.header = std::move(fields);
      fields = {};
      have_header = true;
      continue;
    }
    if (fields.size() != table.header.size()) {
      const std::size_t at = std::min(fields.size(), table.header.size());
      const std::string got = std::to_string(fields.size());
      const std::string want = std::to_string(table.header.size());
      return csv_field_error(
          source, row_line, field_name(table.header, at),
          std::string("dòng có ").append(got).append(" trường, cần ").append(want),
          std::string("the row has ").append(got).append(" fields, expected ").append(want));
    }
    table.rows.push_back(CsvRow{row_line, std::move(fields)});
    fields = {};
  }
  if (!have_header) {
    return csv_field_error(source, 1, "header", "tệp rỗng, thiếu dòng tiêu đề",
                           "the file is empty: there is no header row");
  }
  return table;
}

namespace {

// `s` in quotes, its quotes doubled, after `prefix`.
void append_quoted(std::string& out, std::string_view prefix, std::string_view s) {
  out += '"';
  out += prefix;
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  append_quoted(out, "", s);
}

namespace {

// Whether append_csv_text prefixes `s`: a formula character (= + - @, or a
// tab or CR, which some spreadsheets strip before one) after any leading
// quotes. The quotes count so that the prefix can always be told apart: a
// text already starting with ' before such a character gets one more, and
// csv_text_value takes exactly the one added off.
bool looks_like_formula(std::string_view s) {
  const auto i = s.find_first_not_of('\'');
  return i != std::string_view::npos &&
         std::string_view("=+-@\t\r").find(s[i]) != std::string_view::npos;
}

}  // namespace

void append_csv_text(std::string& out, std::string_view s) {
  if (!looks_like_formula(s)) {
    append_csv_field(out, s);
    return;
  }
  append_quoted(out, "'", s);
}

std::string_view csv_text_value(std::string_view s) {
  if (s.size() > 1 && s.front() == '\'' && looks_like_formula(s.substr(1))) s.remove_prefix(1);
  return s;
}

}  // namespace motcua::units
