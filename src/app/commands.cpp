#include "app/commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <tuple>

#include "services/database_setup.hpp"
#include "services/reference_data.hpp"
#include "store/reference_rows.hpp"
#include "store/store.hpp"

namespace motcua::app {

void report(const char* what, const Error& e) {
  std::fprintf(stderr, "motcua: %s failed: %s\nmotcua: %s thất bại: %s\n", what, e.message_en.c_str(),
               what, e.message_vi.c_str());
  if (!e.log_detail.empty()) std::fprintf(stderr, "motcua: %s\n", e.log_detail.c_str());
}

Result<void> check_data_dir(const std::string& dir) {
  for (const char* part : {"units", "procedures"}) {
    std::error_code ec;
    const auto path = std::filesystem::path(dir) / part;
    if (std::filesystem::is_directory(path, ec)) continue;
    return make_error(ErrorKind::kBadRequest,
                      "Thư mục dữ liệu tham chiếu '" + dir + "' không có thư mục " + part +
                          "/: hãy chỉ --data tới thư mục data/ của motcua.",
                      "The reference data folder '" + dir + "' has no " + part +
                          "/ folder: point --data at motcua's data/ folder.",
                      "--data");
  }
  return ok();
}

namespace {

auto version_key(const units::UnitVersion& u) {
  return std::tie(u.level, u.code, u.valid_from, u.valid_to, u.province_code, u.district_code,
                  u.name, u.full_name, u.name_en, u.full_name_en, u.unit_type);
}

// The units in an order of their own, to compare two imports whatever order
// each was read in.
std::vector<units::UnitVersion> sorted_versions(std::vector<units::UnitVersion> v) {
  std::sort(v.begin(), v.end(),
            [](const auto& a, const auto& b) { return version_key(a) < version_key(b); });
  return v;
}

bool same_units(const units::ReferenceData& a, const units::ReferenceData& b) {
  auto succession = [](const units::Succession& s) {
    return std::tie(s.old_province_code, s.old_province_name, s.old_district_code,
                    s.old_district_name, s.old_commune_code, s.old_commune_name,
                    s.new_province_code, s.new_province_name, s.new_commune_code,
                    s.new_commune_name, s.kind, s.note, s.effective);
  };
  if (a.versions.size() != b.versions.size() || a.successions.size() != b.successions.size())
    return false;
  const auto va = sorted_versions(a.versions), vb = sorted_versions(b.versions);
  for (std::size_t i = 0; i < va.size(); ++i)
    if (version_key(va[i]) != version_key(vb[i])) return false;
  // Successions are stored and read back in the order given.
  for (std::size_t i = 0; i < a.successions.size(); ++i)
    if (succession(a.successions[i]) != succession(b.successions[i])) return false;
  return true;
}

}  // namespace

int run_migrate(const Options& o) {
  auto store = store::open_store(o.db);
  if (!store) return report("migrate", store.error()), 1;
  auto applied = (*store)->migrate();
  if (!applied) return report("migrate", applied.error()), 1;
  auto version = (*store)->schema_version();
  std::printf("%d migrations applied; schema version %d (%s)\n", *applied, version ? *version : -1,
              (*store)->backend());
  // Recomputing the counters needs the reference data and the calendars:
  // serve does it on start, or `stats rebuild` now.
  auto due = (*store)->stats().rebuild_due();
  if (!due) return report("migrate", due.error()), 1;
  for (const auto& reason : *due) {
    std::printf(
        "the operations centre's counters must be recomputed (%s): serve does it on start, "
        "or run motcua stats rebuild\n"
        "số liệu của trung tâm điều hành cần được tính lại (%s): serve sẽ tính khi khởi động, "
        "hoặc hãy chạy motcua stats rebuild\n",
        reason.c_str(), reason.c_str());
  }
  return 0;
}

int run_import(const Options& o) {
  // The files first: a folder that is not there, or data that does not
  // read, fails before the database is opened, created or migrated.
  auto t0 = std::chrono::steady_clock::now();
  auto data = services::load_reference_data(o.data_dir);
  if (!data) return report("import", data.error()), 1;
  auto store = store::open_store(o.db);
  if (!store) return report("import", store.error()), 1;
  auto applied = (*store)->migrate();
  if (!applied) return report("import", applied.error()), 1;
  // The same units again leave no mark: the counters already roll up by
  // them, and running servers need no restart.
  auto present = (*store)->has_reference_data();
  if (!present) return report("import", present.error()), 1;
  if (*present) {
    auto stored = (*store)->load_reference_data();
    if (!stored) return report("import", stored.error()), 1;
    if (same_units(*stored, *data)) {
      std::printf(
          "the units in %s are those already imported (%zu unit versions, %zu successions): "
          "nothing changed\n"
          "đơn vị trong %s đã được nhập đúng như vậy (%zu phiên bản đơn vị, %zu dòng chuyển "
          "đổi): không có gì thay đổi\n",
          o.data_dir.c_str(), data->versions.size(), data->successions.size(), o.data_dir.c_str(),
          data->versions.size(), data->successions.size());
      return 0;
    }
  }
  if (auto r = (*store)->import_reference_data(*data); !r) return report("import", r.error()), 1;
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("imported %zu unit versions and %zu successions from %s in %.0f ms\n",
              data->versions.size(), data->successions.size(), o.data_dir.c_str(), ms);
  // The counters roll up by the registry: recounted by the first process
  // that loads it (a server started on it, or `stats rebuild`).
  auto due = (*store)->stats().rebuild_due();
  if (!due) return report("import", due.error()), 1;
  if (std::any_of(due->begin(), due->end(), [](const std::string& reason) {
        return reason.starts_with(store::kUnitsImportMark);
      })) {
    std::printf(
        "the operations centre's counters must be recomputed by the new units: a server started "
        "now does it, running servers keep the old units until restarted; or run motcua stats "
        "rebuild\n"
        "số liệu của trung tâm điều hành cần được tính lại theo đơn vị mới: máy chủ khởi động từ "
        "bây giờ sẽ tính; máy chủ đang chạy vẫn dùng đơn vị cũ cho đến khi khởi động lại; hoặc "
        "hãy chạy motcua stats rebuild\n");
  }
  return 0;
}

}  // namespace motcua::app
