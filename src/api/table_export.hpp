// Every table of the operations centre can be downloaded: as CSV (UTF-8 with
// a byte-order mark, so spreadsheet programs read Vietnamese right) or as an
// Excel workbook (libxlsxwriter). A table is headers and rows of cells.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/result.hpp"
#include "http/message.hpp"

namespace motcua::api {

using Cell = std::variant<std::monostate, std::string, double, long long>;

struct Table {
  std::string name;  // sheet and file name: "chi-so-00004"
  std::vector<std::string> headers;
  std::vector<std::vector<Cell>> rows;
};

std::string to_csv(const Table& t);
Result<std::string> to_xlsx(const Table& t);

// The `format` query parameter: absent or "json" -> nullopt, "csv", "xlsx";
// anything else is a 400 naming "format".
Result<std::optional<std::string>> export_format(const http::Request& req);

// The table as a download in `format` ("csv" or "xlsx").
http::Response table_response(const Table& t, const std::string& format, std::string_view path);

}  // namespace motcua::api
