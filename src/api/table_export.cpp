#include "api/table_export.hpp"

#include <stdlib.h>  // mkdtemp
#include <xlsxwriter.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/params.hpp"
#include "domain/units/csv.hpp"
#include "http/error_table.hpp"

namespace motcua::api {
namespace {

// Exactly, never in exponent form: the shortest fixed notation that reads
// back as the same double (1508.5, 12345; "%.4g" wrote 1508 and 1.234e+04).
std::string number_text(double v) {
  if (!std::isfinite(v)) return "";
  if (v == 0) v = 0;  // not "-0"
  char buf[400];      // the longest fixed double: 309 digits and a sign
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buf, end) : "";
}

}  // namespace

std::string to_csv(const Table& t) {
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < t.headers.size(); ++i) {
    if (i) out += ',';
    units::append_csv_text(out, t.headers[i]);
  }
  out += "\r\n";
  for (const auto& row : t.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      if (const auto* s = std::get_if<std::string>(&row[i])) units::append_csv_text(out, *s);
      if (const auto* d = std::get_if<double>(&row[i])) out += number_text(*d);
      if (const auto* n = std::get_if<long long>(&row[i])) out += std::to_string(*n);
    }
    out += "\r\n";
  }
  return out;
}

Result<std::string> to_xlsx(const Table& t) {
  // libxlsxwriter 1.1.4 (Debian bookworm) writes only to a file it opens by
  // name, and follows a link there: a guessable name in the shared temporary
  // folder could be planted beforehand by another local user, as a link to a
  // file of the server's. So the file goes in a folder of its own made by
  // mkdtemp (a new random name, mode 0700), removed however the export ends.
  auto fail = [] {
    return make_error(ErrorKind::kInternal, "Không tạo được tệp Excel.",
                      "The Excel file could not be made.");
  };
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string dir = (base / "motcua-xlsx-XXXXXX").string();
  if (!mkdtemp(dir.data())) return fail();
  struct RemoveDir {
    std::string dir;
    ~RemoveDir() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } remove_dir{dir};
  const std::string path = dir + "/export.xlsx";
  // Its own temporary files in that folder too.
  lxw_workbook_options options{};
  options.tmpdir = dir.data();
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) return fail();
  lxw_worksheet* ws = workbook_add_worksheet(wb, t.name.substr(0, 31).c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (std::size_t c = 0; c < t.headers.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.headers[c].c_str(), bold);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), c == 1 ? 32 : 14,
                         nullptr);
  }
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      const Cell& cell = t.rows[r][c];
      if (const auto* s = std::get_if<std::string>(&cell))
        worksheet_write_string(ws, row, col, s->c_str(), nullptr);
      if (const auto* d = std::get_if<double>(&cell))
        worksheet_write_number(ws, row, col, *d, nullptr);
      if (const auto* n = std::get_if<long long>(&cell)) {
        worksheet_write_number(ws, row, col, static_cast<double>(*n), nullptr);
      }
    }
  }
  worksheet_freeze_panes(ws, 1, 0);
  if (workbook_close(wb) != LXW_NO_ERROR) return fail();
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  if (!(bytes << in.rdbuf())) return fail();
  return bytes.str();
}

Result<std::optional<std::string>> export_format(const http::Request& req) {
  auto v = req.query_param("format");
  if (!v || *v == "json") return std::optional<std::string>();
  if (*v == "csv" || *v == "xlsx") return std::optional<std::string>(std::string(*v));
  return bad_param("format", "Tham số 'format' phải là json, csv hoặc xlsx.",
                   "Parameter 'format' must be json, csv or xlsx.");
}

http::Response table_response(const Table& t, const std::string& format, std::string_view path) {
  http::Response r;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = to_csv(t);
  } else {
    auto x = to_xlsx(t);
    if (!x) return http::problem(x.error(), path);
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::move(*x);
  }
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + t.name + "." + format + "\"");
  return r;
}

}  // namespace motcua::api
