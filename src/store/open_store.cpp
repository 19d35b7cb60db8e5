// Chooses the back end from the URL's scheme.
#include <libpq-fe.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace motcua::store {
namespace {

constexpr const char* kUrlHelpVi =
    "Hãy dùng \"sqlite:ĐƯỜNG_DẪN\" (ví dụ sqlite:var/motcua.db) hoặc "
    "\"postgresql://người_dùng@máy:cổng/tên_csdl\" (ví dụ "
    "postgresql:///motcua?host=/run/postgresql).";
constexpr const char* kUrlHelpEn =
    "Use \"sqlite:PATH\" (for example sqlite:var/motcua.db) or "
    "\"postgresql://user@host:port/dbname\" (for example "
    "postgresql:///motcua?host=/run/postgresql).";

Error bad_url(const std::string& why_vi, const std::string& why_en) {
  return make_error(ErrorKind::kBadRequest, why_vi + " " + kUrlHelpVi, why_en + " " + kUrlHelpEn,
                    "database_url");
}

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path) {
  if (path.empty()) {
    return bad_url("URL cơ sở dữ liệu \"sqlite:\" thiếu đường dẫn tệp.",
                   "The database URL \"sqlite:\" has no file path.");
  }
  if (path != ":memory:") {
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return make_error(
          ErrorKind::kUnavailable,
          "Không tạo được thư mục '" + parent.string() + "' cho cơ sở dữ liệu: " + ec.message() +
              ". Hãy chọn đường dẫn khác hoặc cấp quyền ghi.",
          "Cannot create the folder '" + parent.string() + "' for the database: " + ec.message() +
              ". Choose another path or make it writable.",
          "database_url");
    }
  }
  return open_sqlite_store(path);
}

Result<std::unique_ptr<Store>> open_postgres(const std::string& url) {
  // Check the syntax first, so a typo is a bad URL rather than a refused connection.
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &message);
  if (options == nullptr) {
    std::string why = message ? message : "không rõ lý do / unknown reason";
    PQfreemem(message);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return bad_url("URL PostgreSQL không hợp lệ: " + why + ".",
                   "The PostgreSQL URL is not valid: " + why + ".");
  }
  PQconninfoFree(options);
  return open_postgres_store(url);
}

}  // namespace

Result<std::unique_ptr<Store>> open_existing_store(const std::string& url) {
  if (starts_with(url, "sqlite:")) {
    const std::string path = url.substr(7);
    std::error_code ec;
    if (!path.empty() && path != ":memory:" && !std::filesystem::exists(path, ec)) {
      return make_error(ErrorKind::kNotFound,
                        "Không có cơ sở dữ liệu tại '" + path +
                            "'. Hãy kiểm tra đường dẫn (serve và migrate tạo cơ sở dữ liệu mới).",
                        "There is no database at '" + path +
                            "'. Check the path (serve and migrate create a new one).",
                        "database_url");
    }
  }
  return open_store(url);
}

Result<std::unique_ptr<Store>> open_store(const std::string& url) {
  if (starts_with(url, "sqlite:")) return open_sqlite(url.substr(7));
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    return open_postgres(url);
  }
  if (url.empty()) {
    return bad_url("Chưa có URL cơ sở dữ liệu.", "No database URL was given.");
  }
  // Only the scheme is echoed: the rest may hold a password.
  const std::string scheme = url.substr(0, std::min(url.find(':'), std::size_t{20}));
  return bad_url("Không nhận ra loại cơ sở dữ liệu \"" + scheme + "\" trong URL.",
                 "Unknown database kind \"" + scheme + "\" in the URL.");
}

}  // namespace motcua::store
