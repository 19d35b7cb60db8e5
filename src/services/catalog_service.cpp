#include "services/catalog_service.hpp"

#include <boost/json/serialize.hpp>
#include <chrono>
#include <set>

#include "common/dates.hpp"
#include "domain/catalog/rules.hpp"
#include "services/catalog_json.hpp"

namespace motcua::services {
namespace {

using catalog::Procedure;
using catalog::ProcedureVersion;

Error not_found(const std::string& code) {
  return make_error(ErrorKind::kNotFound, "Không có thủ tục mã " + code + " trong danh mục.",
                    "There is no procedure with code " + code + " in the catalog.", "code");
}

Error corrupt(const std::string& code, const Error& e) {
  return make_error(ErrorKind::kInternal, "Bản ghi thủ tục " + code + " hỏng: " + e.message_vi,
                    "The stored procedure " + code + " is corrupt: " + e.message_en);
}

Result<ProcedureVersion> decode(const store::StoredProcedure& s) {
  auto v = parse_json(s.body, "body");
  if (!v) return corrupt(s.code, v.error());
  auto p = procedure_from_json(*v);
  if (!p) return corrupt(s.code, p.error());
  return ProcedureVersion{std::move(*p), s.version, s.retired, s.created_at};
}

store::ProcedureWrite write_of(const Procedure& p, int expected, int version, bool retired) {
  store::ProcedureWrite w;
  w.code = p.code;
  w.expected_current = expected;
  w.version = version;
  w.retired = retired;
  if (version > 0) {
    w.body = boost::json::serialize(procedure_to_json(p));
    w.name = p.name;
    w.field = p.field;
    w.competent_level = p.competent_level;
    w.online_level = p.online_level;
  }
  return w;
}

Error stale(const std::string& code, int seen, int current) {
  return make_error(ErrorKind::kPreconditionFailed,
                    "Thủ tục " + code + " đang ở phiên bản " + std::to_string(current) +
                        ", không phải " + std::to_string(seen) +
                        " (If-Match): hãy tải lại rồi sửa.",
                    "Procedure " + code + " is at version " + std::to_string(current) + ", not " +
                        std::to_string(seen) + " (If-Match): reload it and edit again.",
                    "If-Match");
}

}  // namespace

CatalogService::CatalogService(store::CatalogStore& store)
    : store_(store),
      snapshot_(std::make_shared<CatalogSnapshot>(std::vector<ProcedureVersion>{},
                                                  std::vector<catalog::Bundle>{})) {}

Result<void> CatalogService::load() {
  auto rows = store_.load_current();
  if (!rows) return rows.error();
  std::vector<ProcedureVersion> current;
  current.reserve(rows->size());
  for (const auto& r : *rows) {
    auto v = decode(r);
    if (!v) return v.error();
    current.push_back(std::move(*v));
  }
  auto stored_bundles = store_.load_bundles();
  if (!stored_bundles) return stored_bundles.error();
  std::vector<catalog::Bundle> bundles;
  for (const auto& b : *stored_bundles) {
    auto v = parse_json(b.body, "body");
    if (!v) return corrupt(b.code, v.error());
    auto bundle = bundle_from_json(*v);
    if (!bundle) return corrupt(b.code, bundle.error());
    bundles.push_back(std::move(*bundle));
  }
  auto next = std::make_shared<const CatalogSnapshot>(std::move(current), std::move(bundles));
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(next);
  return ok();
}

std::shared_ptr<const CatalogSnapshot> CatalogService::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

Result<std::size_t> CatalogService::import_if_absent(const CatalogDocument& bundled) {
  auto present = store_.has_catalog();
  if (!present) return present.error();
  if (*present) return std::size_t{0};
  auto report = import(bundled, "bundled catalog (data/procedures)");
  if (!report) return report.error();
  return report->created + report->updated;
}

CatalogPage CatalogService::search(const catalog::SearchQuery& q) const {
  CatalogPage out;
  out.snapshot = snapshot();
  out.page = out.snapshot->index.search(q);
  return out;
}

Result<std::shared_ptr<const catalog::ProcedureVersion>> CatalogService::version(
    const std::string& code, std::optional<int> version) const {
  {
    auto snap = snapshot();
    const auto* cur = snap->index.find(code);
    if (!cur) return not_found(code);
    // Keeps the snapshot alive for as long as the pointer is held.
    if (!version || *version == cur->version)
      return std::shared_ptr<const catalog::ProcedureVersion>(std::move(snap), cur);
  }
  auto d = get(code, version);
  if (!d) return d.error();
  return std::shared_ptr<const catalog::ProcedureVersion>(
      std::make_shared<catalog::ProcedureVersion>(std::move(d->version)));
}

Result<ProcedureDetail> CatalogService::get(const std::string& code,
                                            std::optional<int> version) const {
  auto snap = snapshot();
  const auto* cur = snap->index.find(code);
  if (!cur) return not_found(code);
  ProcedureDetail d;
  d.current_version = cur->version;
  auto versions = store_.list_versions(code);
  if (!versions) return versions.error();
  d.versions = std::move(*versions);
  if (!version || *version == cur->version) {
    d.version = *cur;
    return d;
  }
  auto stored = store_.load_version(code, *version);
  if (!stored) return stored.error();
  if (!*stored)
    return make_error(ErrorKind::kNotFound,
                      "Thủ tục " + code + " không có phiên bản " + std::to_string(*version) + ".",
                      "Procedure " + code + " has no version " + std::to_string(*version) + ".",
                      "version");
  auto v = decode(**stored);
  if (!v) return v.error();
  d.version = std::move(*v);
  return d;
}

Result<ProcedureVersion> CatalogService::current_of(const std::string& code) const {
  auto snap = snapshot();
  const auto* cur = snap->index.find(code);
  if (!cur) return not_found(code);
  return *cur;
}

Result<void> CatalogService::write(const std::vector<store::ProcedureWrite>& writes,
                                   const std::vector<catalog::Bundle>* bundles,
                                   const std::string& note) {
  std::vector<store::StoredBundle> stored;
  if (bundles)
    for (const auto& b : *bundles)
      stored.push_back({b.code, boost::json::serialize(bundle_to_json(b))});
  if (auto r = store_.write(writes, bundles ? &stored : nullptr, note,
                            vn_rfc3339(std::chrono::system_clock::now()));
      !r) {
    // Another process may have changed the catalog: see its state next time.
    (void)load();
    return r;
  }
  return load();
}

Result<ProcedureVersion> CatalogService::create(const Procedure& p) {
  if (auto r = catalog::validate(p); !r) return r.error();
  std::lock_guard lock(write_mutex_);
  if (snapshot()->index.find(p.code))
    return make_error(
        ErrorKind::kConflict, "Thủ tục " + p.code + " đã có trong danh mục: hãy sửa thay vì tạo.",
        "Procedure " + p.code + " is already in the catalog: edit it instead.", "code");
  if (auto r = write({write_of(p, 0, 1, false)}, nullptr, ""); !r) return r.error();
  return current_of(p.code);
}

Result<ProcedureVersion> CatalogService::update(const std::string& code, const Procedure& p,
                                                std::optional<int> if_match) {
  if (p.code != code)
    return make_error(
        ErrorKind::kBadRequest,
        "Trường 'code' (" + p.code + ") phải trùng mã trong đường dẫn (" + code + ").",
        "Field 'code' (" + p.code + ") must equal the code in the path (" + code + ").", "code");
  if (auto r = catalog::validate(p); !r) return r.error();
  std::lock_guard lock(write_mutex_);
  auto cur = current_of(code);
  if (!cur) return cur.error();
  if (if_match && *if_match != cur->version) return stale(code, *if_match, cur->version);
  const int next = catalog::next_version(cur->version, &cur->procedure, p);
  if (next == cur->version) return *cur;  // nothing changed: no new version
  if (auto r = write({write_of(p, cur->version, next, cur->retired)}, nullptr, ""); !r)
    return r.error();
  return current_of(code);
}

Result<ProcedureVersion> CatalogService::retire(const std::string& code,
                                                std::optional<int> if_match) {
  std::lock_guard lock(write_mutex_);
  auto cur = current_of(code);
  if (!cur) return cur.error();
  if (if_match && *if_match != cur->version) return stale(code, *if_match, cur->version);
  if (cur->retired) return *cur;
  if (auto r = write({write_of(cur->procedure, cur->version, 0, true)}, nullptr, ""); !r)
    return r.error();
  return current_of(code);
}

Result<ImportReport> CatalogService::import(const CatalogDocument& doc, const std::string& note) {
  std::lock_guard lock(write_mutex_);
  auto snap = snapshot();
  ImportReport report;
  std::vector<store::ProcedureWrite> writes;
  std::set<std::string, std::less<>> codes;
  for (const auto& p : snap->index.all()) codes.insert(p.procedure.code);
  for (const auto& p : doc.procedures) {
    if (auto r = catalog::validate(p); !r) return r.error();
    codes.insert(p.code);
    const auto* cur = snap->index.find(p.code);
    if (!cur) {
      writes.push_back(write_of(p, 0, 1, false));
      ++report.created;
      continue;
    }
    const int next = catalog::next_version(cur->version, &cur->procedure, p);
    if (next == cur->version && !cur->retired) {
      ++report.unchanged;
      continue;
    }
    // Listed in an import: in force again, whether or not its content changed.
    writes.push_back(write_of(p, cur->version, next == cur->version ? 0 : next, false));
    ++report.updated;
  }
  if (doc.has_bundles) {
    for (std::size_t i = 0; i < doc.bundles.size(); ++i) {
      if (auto r = catalog::validate(doc.bundles[i], codes); !r) {
        Error e = r.error();
        e.param = "bundles[" + std::to_string(i) + "]." + e.param;
        return e;
      }
    }
    report.bundles = doc.bundles.size();
  }
  if (auto r =
          write(writes, doc.has_bundles ? &doc.bundles : nullptr, note.empty() ? "import" : note);
      !r)
    return r.error();
  return report;
}

std::vector<Procedure> CatalogService::current_procedures() const {
  auto snap = snapshot();
  std::vector<Procedure> out;
  for (const auto& v : snap->index.all())
    if (!v.retired) out.push_back(v.procedure);
  return out;
}

}  // namespace motcua::services
