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

// An error about one field of one row, for callers validating values.
Error csv_field_error(std::string_view source, std::size_t line, std::string_view field,
                      std::string_view problem_vi, std::string_view problem_en);

}  // namespace motcua::units
