#include "services/catalog_data.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "domain/catalog/rules.hpp"
#include "services/catalog_json.hpp"
#include "text/control_chars.hpp"
#include "text/fold.hpp"

namespace motcua::services {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using catalog::Procedure;

constexpr const char* kHaiPhongSource =
    "Hải Phòng, thủ tục cấp xã sau 01/7/2025 (hongdienvbhp/sotaydientuTTHC, data/procedures.json, "
    "commit 08a8ab7)";

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(ErrorKind::kUnavailable, "Không đọc được tệp " + path.string(),
                      "Cannot read the file " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Error in_file(const fs::path& path, const std::string& record, const Error& e) {
  return make_error(ErrorKind::kUnavailable, path.string() + ", " + record + ": " + e.message_vi,
                    path.string() + ", " + record + ": " + e.message_en, e.param);
}

// The PDF extraction left NULs where spaces were: cleaned here, so that no
// reader of the catalog meets them.
std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? text::without_control_chars(v->get_string()) : std::string();
}

// PDF-wrapped lines joined back into paragraphs; a new step starts at a line
// that begins with "Bước" (after a dash or plus).
std::vector<std::string> split_steps(const std::string& text) {
  std::vector<std::string> steps;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto start = line.find_first_not_of(" -+\t");
    if (start == std::string::npos) continue;
    const bool new_step = text::fold(line.substr(start, 10)).starts_with("buoc");
    if (steps.empty() || new_step)
      steps.push_back(line);
    else
      steps.back() += " " + line;
  }
  return steps;
}

// A paper's own clause: its name up to the first "; " or ". ", after the
// source's list marks ("- ", "+ ", "(ii) "). What follows is said of it
// ("; trường hợp không có Giấy chứng sinh thì ...": an alternative, not a
// condition on the paper).
std::string_view first_clause(std::string_view name) {
  while (!name.empty()) {
    if (name[0] == '-' || name[0] == '+' || name[0] == '*' || name[0] == ' ') {
      name.remove_prefix(1);
    } else if (name[0] == '(' && name.find(')') <= 5) {
      name.remove_prefix(name.find(')') + 1);
    } else {
      break;
    }
  }
  return name.substr(0, std::min(name.find("; "), name.find(". ")));
}

bool has(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

// The channels a paper is asked for on, as the civil-status procedures say
// it ("Tờ khai ... (nếu ... nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ
// sơ qua hệ thống bưu chính)", "Mẫu ... điện tử (nếu ... nộp hồ sơ theo
// hình thức trực tuyến)"), or as its case does ("Khi nộp hồ sơ trực tiếp
// cần xuất trình"); empty: every channel. `folded` is text::fold()ed.
std::vector<std::string> channels_named(std::string_view folded) {
  std::vector<std::string> out;
  if (has(folded, "nop ho so theo hinh thuc truc tiep") || has(folded, "nop ho so truc tiep"))
    out.push_back("counter");
  if (has(folded, "gui ho so qua he thong buu chinh")) out.push_back("post");
  if (has(folded, "nop ho so theo hinh thuc truc tuyen") || has(folded, "nop ho so truc tuyen"))
    out.push_back("online");
  return out;
}

catalog::Component component_of(const json::object& d) {
  catalog::Component c;
  c.name = str(d, "name");
  c.quantity_text = str(d, "quantity_text");
  c.form = str(d, "form");
  const std::string q = text::fold(c.quantity_text);
  const bool original = q.find("ban chinh") != std::string::npos;
  const bool copy = q.find("ban sao") != std::string::npos;
  c.copy_kind = original && copy ? "original_and_copy" : copy ? "copy" : "original";
  c.quantity = q.empty() || q[0] < '1' || q[0] > '9' ? 0 : q[0] - '0';
  const std::string cs = str(d, "case");
  const std::string fcase = text::fold(cs);
  if (fcase.find("xuat trinh") != std::string::npos && fcase.find("nop") == std::string::npos)
    c.presentation = "show";
  // "Trường hợp 2: * Giấy tờ phải nộp:" is a heading; a paper whose own
  // clause names its case ("Trường hợp trẻ em bị bỏ rơi thì ...", "... trong
  // trường hợp ủy quyền") is conditional. So is a note the source lists
  // among the papers ("Giá trị sử dụng của giấy tờ ... được xác định ...").
  std::string own = text::fold(first_clause(c.name));
  // Spaces out: the source splits words ("trư ờng hợp").
  std::erase(own, ' ');
  const auto colon = cs.find(':');
  const std::string case_rest = colon == std::string::npos ? "" : text::fold(cs.substr(colon + 1));
  // A paper listed under a lettered case ("b) Trợ cấp tuất hằng tháng: ...")
  // is that case's.
  const bool lettered = c.name.size() > 2 && std::isalpha(static_cast<unsigned char>(c.name[0])) &&
                        c.name[1] == ')' && c.name[2] == ' ';
  if (has(own, "truonghop") || own.starts_with("neu") || own.starts_with("giatrisudung") ||
      lettered || has(case_rest, "truong hop")) {
    c.requirement = "conditional";
    c.condition = cs;
  }
  c.channels = channels_named(text::fold(c.name));
  if (c.channels.empty()) c.channels = channels_named(case_rest);
  return c;
}

// One record of haiphong_2025.json in the catalog's model. What the parser
// at the source could not read stays in `original`, and is flagged.
Procedure from_haiphong(const json::object& r) {
  Procedure p;
  p.code = str(r, "national_code");
  p.name = str(r, "name");
  p.field = str(r, "field");
  p.group = str(r, "group");
  p.online_level = str(r, "online_level");
  const std::string level = str(r, "competent_level");
  p.competent_level = level == "provincial" ? "province" : level;
  const std::string note = str(r, "competent_note");
  p.competent_agency = p.competent_level == "commune" ? "Ủy ban nhân dân cấp xã"
                       : note.find("Sở Nội vụ") != std::string::npos ? "Sở Nội vụ"
                                                                     : "Ủy ban nhân dân cấp tỉnh";
  if (const auto* chs = r.if_contains("channels"); chs && chs->is_array()) {
    for (const auto& v : chs->get_array()) {
      const auto& c = v.get_object();
      catalog::Channel ch;
      ch.channel = str(c, "channel");
      ch.time_text = str(c, "time_text");
      ch.fee_text = str(c, "fee_text");
      const std::string kind = str(c, "day_kind");
      if (const auto* d = c.if_contains("days"); d && d->is_int64() && !kind.empty()) {
        ch.time_amount = static_cast<int>(d->get_int64());
        ch.time_unit = kind == "working" ? "working_days" : "calendar_days";
      }
      if (const auto* f = c.if_contains("fee_vnd"); f && f->is_int64()) ch.fee_vnd = f->get_int64();
      p.channels.push_back(std::move(ch));
    }
  }
  if (const auto* docs = r.if_contains("documents"); docs && docs->is_array())
    for (const auto& v : docs->get_array()) p.components.push_back(component_of(v.get_object()));
  if (const auto* notes = r.if_contains("document_notes"); notes && notes->is_array())
    for (const auto& v : notes->get_array())
      p.component_notes.push_back(str(v.get_object(), "name"));
  p.steps = split_steps(str(r, "steps_text"));
  if (const auto* lb = r.if_contains("legal_basis"); lb && lb->is_array()) {
    for (std::size_t i = 0; i < lb->get_array().size(); ++i) {
      const std::string ref(lb->get_array()[i].get_string());
      p.legal_basis.push_back(ref);
      // A reference cut by the PDF extraction, or dated after the catalog.
      if (ref.ends_with("-C") || ref.find("/2026/") != std::string::npos)
        p.verify.push_back({"legal_basis[" + std::to_string(i) + "]",
                            "Số hiệu văn bản như bản gốc (có thể bị cắt hoặc sai năm khi trích từ "
                            "PDF): hãy đối chiếu."});
    }
  }
  const std::string status = str(r, "detail_status");
  if (status != "parsed")
    p.verify.push_back(
        {"channels",
         "Nguồn không có chi tiết (" + status +
             "): thời hạn, phí, thành phần hồ sơ cần bổ sung từ Cổng Dịch vụ công quốc gia."});
  p.source = kHaiPhongSource;
  for (const char* k :
       {"level_text", "competent_note", "documents_text", "steps_text", "methods_text",
        "legal_text", "detail_status", "pdf", "online_url", "extraction_note"}) {
    const std::string v = str(r, k);
    if (!v.empty()) p.original[k] = v;
  }
  return p;
}

Result<json::value> read_json(const fs::path& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  auto v = parse_json(*text, "file");
  if (!v) return in_file(path, "JSON", v.error());
  return v;
}

}  // namespace

Result<CatalogDocument> load_bundled_catalog(const std::string& data_dir) {
  const fs::path dir = fs::path(data_dir) / "procedures";
  CatalogDocument doc;
  std::map<std::string, std::size_t> index;  // code -> position in doc.procedures

  // 1. The Hải Phòng procedures.
  const auto hp_path = dir / "haiphong_2025.json";
  auto hp = read_json(hp_path);
  if (!hp) return hp.error();
  if (!hp->is_array())
    return make_error(ErrorKind::kUnavailable, hp_path.string() + ": không phải mảng",
                      hp_path.string() + ": not an array");
  for (const auto& v : hp->get_array()) {
    if (!v.is_object()) continue;
    auto p = from_haiphong(v.get_object());
    index[p.code] = doc.procedures.size();
    doc.procedures.push_back(std::move(p));
  }

  // 2. Additions: new procedures, or the full record of one the file lists
  //    without detail.
  const auto add_path = dir / "additions.json";
  auto adds = read_json(add_path);
  if (!adds) return adds.error();
  const auto* add_list = adds->is_object() ? adds->get_object().if_contains("procedures") : nullptr;
  if (!add_list || !add_list->is_array())
    return make_error(ErrorKind::kUnavailable, add_path.string() + ": thiếu mảng 'procedures'",
                      add_path.string() + ": no 'procedures' array");
  for (std::size_t i = 0; i < add_list->get_array().size(); ++i) {
    auto p = procedure_from_json(add_list->get_array()[i]);
    if (!p) return in_file(add_path, "procedures[" + std::to_string(i) + "]", p.error());
    if (auto it = index.find(p->code); it != index.end()) {
      auto& old = doc.procedures[it->second];
      if (old.original.count("detail_status") && old.original.at("detail_status") == "parsed")
        return in_file(
            add_path, "procedures[" + std::to_string(i) + "]",
            make_error(ErrorKind::kUnavailable, "trùng mã " + p->code + " đã có đủ chi tiết",
                       "repeats code " + p->code + ", which already has its detail", "code"));
      for (const auto& [k, v] : old.original) p->original.emplace("haiphong_" + k, v);
      old = std::move(*p);
    } else {
      index[p->code] = doc.procedures.size();
      doc.procedures.push_back(std::move(*p));
    }
  }

  // 3. Decentralisation, by code.
  const auto dec_path = dir / "decentralisation.json";
  auto decs = read_json(dec_path);
  if (!decs) return decs.error();
  const auto* dec_list = decs->is_object() ? decs->get_object().if_contains("procedures") : nullptr;
  if (!dec_list || !dec_list->is_array())
    return make_error(ErrorKind::kUnavailable, dec_path.string() + ": thiếu mảng 'procedures'",
                      dec_path.string() + ": no 'procedures' array");
  for (std::size_t i = 0; i < dec_list->get_array().size(); ++i) {
    const auto& v = dec_list->get_array()[i];
    const std::string where = "procedures[" + std::to_string(i) + "]";
    if (!v.is_object())
      return in_file(dec_path, where,
                     make_error(ErrorKind::kUnavailable, "không phải đối tượng", "not an object"));
    const auto& o = v.get_object();
    const std::string code = str(o, "code");
    auto it = index.find(code);
    if (it == index.end())
      return in_file(dec_path, where,
                     make_error(ErrorKind::kUnavailable, "mã " + code + " không có trong danh mục",
                                "code " + code + " is not in the catalog", "code"));
    auto& p = doc.procedures[it->second];
    catalog::Decentralisation d;
    d.before_level = str(o, "before_level");
    d.before_agency = str(o, "before_agency");
    d.after_level = str(o, "after_level");
    d.after_agency = str(o, "after_agency");
    d.since = str(o, "since");
    d.decree = str(o, "decree");
    d.note = str(o, "note");
    p.decentralisation = std::move(d);
    if (const auto* ver = o.if_contains("verify"); ver && ver->is_bool() && ver->get_bool())
      p.verify.push_back({"decentralisation", str(o, "verify_note")});
  }

  std::set<std::string, std::less<>> codes;
  for (std::size_t i = 0; i < doc.procedures.size(); ++i) {
    const auto& p = doc.procedures[i];
    if (auto r = catalog::validate(p); !r) return in_file(dir, p.code, r.error());
    codes.insert(p.code);
  }

  // 4. Bundles.
  const auto b_path = dir / "bundles.json";
  auto bs = read_json(b_path);
  if (!bs) return bs.error();
  const auto* b_list = bs->is_object() ? bs->get_object().if_contains("bundles") : nullptr;
  if (!b_list || !b_list->is_array())
    return make_error(ErrorKind::kUnavailable, b_path.string() + ": thiếu mảng 'bundles'",
                      b_path.string() + ": no 'bundles' array");
  for (std::size_t i = 0; i < b_list->get_array().size(); ++i) {
    auto b = bundle_from_json(b_list->get_array()[i]);
    if (!b) return in_file(b_path, "bundles[" + std::to_string(i) + "]", b.error());
    if (auto r = catalog::validate(*b, codes); !r) return in_file(b_path, b->code, r.error());
    doc.bundles.push_back(std::move(*b));
  }
  doc.has_bundles = true;
  return doc;
}

}  // namespace motcua::services
