// Opening a database for a command that must not change its schema: the
// checks (`stats verify`, `audit verify`), which read it only, and `stats
// rebuild`. A database older than this binary is refused rather than
// migrated, an empty or missing one rather than created: a check that
// upgraded what it checks would no longer say what was there.
#include <filesystem>
#include <system_error>

#include "app/commands.hpp"
#include "store/migrations/migration.hpp"
#include "store/sqlite/connection.hpp"

namespace motcua::app {
namespace {

int latest_schema(const std::string& backend) {
  namespace m = store::migrations;
  return m::latest_version(backend == "sqlite" ? m::sqlite_migrations() : m::postgres_migrations());
}

}  // namespace

Result<std::unique_ptr<store::Store>> open_up_to_date(const std::string& url, bool read_only) {
  const bool sqlite = url.rfind("sqlite:", 0) == 0;
  if (sqlite) {
    const std::string path = url.substr(7);
    std::error_code ec;
    // A file of no bytes is what SQLite would make a new database of.
    if (!path.empty() && path != ":memory:" && std::filesystem::exists(path, ec) &&
        std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0) {
      return make_error(ErrorKind::kNotFound,
                        "Tệp '" + path + "' trống, chưa là cơ sở dữ liệu: không có gì để kiểm tra.",
                        "The file '" + path + "' is empty, not yet a database: nothing to check.",
                        "database_url");
    }
    if (read_only) store::sqlite::open_read_only();
  }
  auto opened = store::open_existing_store(url);
  if (!opened) return opened.error();
  auto version = (*opened)->schema_version();
  if (!version) return version.error();
  const int latest = latest_schema((*opened)->backend());
  if (*version == 0) {
    return make_error(ErrorKind::kNotFound,
                      "Cơ sở dữ liệu chưa có lược đồ (trống): không có gì để kiểm tra. Lệnh "
                      "motcua migrate hoặc serve tạo lược đồ.",
                      "The database has no schema (it is empty): nothing to check. motcua "
                      "migrate or serve creates it.",
                      "database_url");
  }
  if (*version < latest) {
    const auto at = std::to_string(*version), want = std::to_string(latest);
    return make_error(ErrorKind::kUnavailable,
                      "Lược đồ cơ sở dữ liệu ở phiên bản " + at + ", cũ hơn phiên bản " + want +
                          " của chương trình này: hãy chạy motcua migrate trước.",
                      "The database schema is at version " + at + ", older than this program's " +
                          want + ": run motcua migrate first.",
                      "database_url");
  }
  if (*version > latest) {
    const auto at = std::to_string(*version), want = std::to_string(latest);
    return make_error(ErrorKind::kUnavailable,
                      "Lược đồ cơ sở dữ liệu ở phiên bản " + at + ", mới hơn phiên bản " + want +
                          " mà chương trình này biết: hãy nâng cấp motcua.",
                      "The database schema is at version " + at + ", newer than the version " +
                          want + " this program knows: upgrade motcua.",
                      "database_url");
  }
  return opened;
}

}  // namespace motcua::app
