#include "services/catalog_exchange.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <set>

#include "domain/catalog/rules.hpp"
#include "domain/units/csv.hpp"
#include "services/catalog_json.hpp"
#include "services/request_text.hpp"

namespace motcua::services {
namespace {

namespace json = boost::json;
using catalog::Procedure;

// Scalar columns are strings; the others hold JSON text.
const std::set<std::string, std::less<>> kJsonColumns = {
    "channels",    "components",       "component_notes", "steps",
    "legal_basis", "decentralisation", "verify",          "original"};

Error row_error(std::size_t row, const std::string& code, const Error& e) {
  const std::string field = e.param.empty() ? "procedure" : e.param;
  const std::string who = code.empty() ? "" : " (" + code + ")";
  return make_error(ErrorKind::kBadRequest,
                    "Dòng " + std::to_string(row) + who + ", trường '" + field +
                        "': " + e.message_vi + " Không có thủ tục nào được nhập.",
                    "Row " + std::to_string(row) + who + ", field '" + field +
                        "': " + e.message_en + " Nothing was imported.",
                    "rows[" + std::to_string(row) + "]." + field);
}

std::string code_of(const json::value& v) {
  if (!v.is_object()) return {};
  const auto* c = v.get_object().if_contains("code");
  return c && c->is_string() ? std::string(c->get_string()) : std::string();
}

// Reads and checks one procedure; `row` is 1-based.
Result<Procedure> read_row(const json::value& v, std::size_t row,
                           std::set<std::string, std::less<>>& seen) {
  const std::string code = code_of(v);
  if (auto r = plain_texts(v); !r) return row_error(row, code, r.error());
  auto p = procedure_from_json(v);
  if (!p) return row_error(row, code, p.error());
  if (auto r = catalog::validate(*p); !r) return row_error(row, code, r.error());
  if (!seen.insert(p->code).second) {
    return row_error(row, code,
                     make_error(ErrorKind::kBadRequest, "trùng mã với một dòng trước.",
                                "repeats the code of an earlier row.", "code"));
  }
  return p;
}

}  // namespace

const std::vector<std::string>& catalog_csv_columns() {
  static const std::vector<std::string> columns = {"code",
                                                   "name",
                                                   "field",
                                                   "group",
                                                   "competent_level",
                                                   "competent_agency",
                                                   "online_level",
                                                   "result",
                                                   "legal_basis",
                                                   "channels",
                                                   "components",
                                                   "component_notes",
                                                   "steps",
                                                   "decentralisation",
                                                   "verify",
                                                   "source",
                                                   "original"};
  return columns;
}

Result<CatalogDocument> parse_catalog_json(std::string_view text) {
  auto parsed = parse_json(text, "body");
  if (!parsed) return parsed.error();
  const json::array* rows = nullptr;
  CatalogDocument doc;
  if (parsed->is_array()) {
    rows = &parsed->get_array();
  } else if (parsed->is_object()) {
    const auto& o = parsed->get_object();
    for (const auto& kv : o)
      if (kv.key() != "procedures" && kv.key() != "bundles")
        return make_error(
            ErrorKind::kBadRequest, "Khoá '" + std::string(kv.key()) + "' không được dùng ở đây.",
            "Key '" + std::string(kv.key()) + "' is not expected here.", std::string(kv.key()));
    const auto* p = o.if_contains("procedures");
    if (!p || !p->is_array())
      return make_error(ErrorKind::kBadRequest, "Thiếu mảng 'procedures'.",
                        "The 'procedures' array is missing.", "procedures");
    rows = &p->get_array();
    if (const auto* b = o.if_contains("bundles")) {
      if (!b->is_array())
        return make_error(ErrorKind::kBadRequest, "'bundles' phải là mảng.",
                          "'bundles' must be an array.", "bundles");
      doc.has_bundles = true;
      for (std::size_t i = 0; i < b->get_array().size(); ++i) {
        auto bundle = bundle_from_json(b->get_array()[i]);
        if (!bundle) {
          const auto& e = bundle.error();
          const std::string at = "bundles[" + std::to_string(i) + "]." + e.param;
          return make_error(ErrorKind::kBadRequest,
                            "Nhóm liên thông thứ " + std::to_string(i + 1) + ": " + e.message_vi,
                            "Bundle " + std::to_string(i + 1) + ": " + e.message_en, at);
        }
        doc.bundles.push_back(std::move(*bundle));
      }
    }
  } else {
    return make_error(
        ErrorKind::kBadRequest, "Nội dung phải là mảng thủ tục hoặc {\"procedures\": [...]}.",
        "The body must be an array of procedures or {\"procedures\": [...]}.", "body");
  }
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto p = read_row((*rows)[i], i + 1, seen);
    if (!p) return p.error();
    doc.procedures.push_back(std::move(*p));
  }
  return doc;
}

Result<CatalogDocument> parse_catalog_csv(std::string_view text) {
  auto table = units::parse_csv(text, "CSV");
  if (!table) {
    Error e = table.error();
    e.kind = ErrorKind::kBadRequest;
    return e;
  }
  const auto& known = catalog_csv_columns();
  for (const auto& h : table->header) {
    if (std::find(known.begin(), known.end(), h) == known.end())
      return make_error(ErrorKind::kBadRequest, "Cột '" + h + "' không có trong mô hình thủ tục.",
                        "Column '" + h + "' is not part of the procedure model.", h);
  }
  CatalogDocument doc;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < table->rows.size(); ++i) {
    const auto& row = table->rows[i];
    json::object o;
    for (std::size_t c = 0; c < table->header.size(); ++c) {
      const auto& name = table->header[c];
      // Without the ' the export put before a formula-like cell.
      const std::string cell(units::csv_text_value(row.fields[c]));
      if (cell.empty()) continue;
      if (kJsonColumns.contains(name)) {
        auto v = parse_json(cell, name.c_str());
        if (!v) {
          const auto& e = v.error();
          return row_error(
              i + 1, "",
              make_error(ErrorKind::kBadRequest, "không phải JSON hợp lệ (" + e.message_vi + ").",
                         "is not valid JSON (" + e.message_en + ").", name));
        }
        o[name] = std::move(*v);
      } else {
        o[name] = cell;
      }
    }
    auto p = read_row(o, i + 1, seen);
    if (!p) return p.error();
    doc.procedures.push_back(std::move(*p));
  }
  return doc;
}

std::string export_catalog_json(const std::vector<Procedure>& procedures,
                                const std::vector<catalog::Bundle>& bundles) {
  json::array ps, bs;
  for (const auto& p : procedures) ps.push_back(procedure_to_json(p));
  for (const auto& b : bundles) bs.push_back(bundle_to_json(b));
  return json::serialize(json::object{{"procedures", std::move(ps)}, {"bundles", std::move(bs)}});
}

std::string export_catalog_csv(const std::vector<Procedure>& procedures) {
  const auto& columns = catalog_csv_columns();
  std::string out;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c) out += ',';
    out += columns[c];
  }
  out += "\r\n";
  for (const auto& p : procedures) {
    const auto o = procedure_to_json(p);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c) out += ',';
      // Text typed by catalog admins, opened by others in a spreadsheet:
      // never as a formula (parse_catalog_csv takes the guard off again).
      const auto& v = o.at(columns[c]);
      if (v.is_string())
        units::append_csv_text(out, v.get_string());
      else if (!v.is_null())
        units::append_csv_text(out, json::serialize(v));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace motcua::services
