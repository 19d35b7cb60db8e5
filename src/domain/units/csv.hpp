// A small RFC 4180 CSV reader for the reference data: quoted fields, commas,
// quotes and line breaks inside quotes, CRLF or LF, an optional UTF-8 BOM;
// and the field writer every CSV export uses.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace motcua::units {

struct CsvRow {
  std::size_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;

  // Position of a column, or -1.
  int column(std::string_view name) const;
};

// Parses `text`; the first row is the header and every row must have as many
// fields. `source` (a file name) goes into error messages with the line and field.
Result<CsvTable> parse_csv(std::string_view text, std::string_view source);

// Appends `field` to `out`, quoted (quotes doubled) only when it holds a comma,
// a quote or a line break.
void append_csv_field(std::string& out, std::string_view field);

// Appends a text cell that people typed: as append_csv_field, but a cell a
// spreadsheet would run as a formula (its first character after any leading
// quotes (') is = + - @, a tab or a CR) gets one more leading ' and is quoted,
// so that it opens as text. Every CSV export writes its text cells with it.
void append_csv_text(std::string& out, std::string_view field);

// A field of a CSV the program reads back, without the ' that append_csv_text
// added (only to a field it would add one to): what was exported imports as it was.
std::string_view csv_text_value(std::string_view field);

// An error about one field of one row, for callers validating values.
Error csv_field_error(std::string_view source, std::size_t line, std::string_view field,
                      std::string_view problem_vi, std::string_view problem_en);

}  // namespace motcua::units
