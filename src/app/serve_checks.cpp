#include "app/serve_checks.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

namespace motcua::app {
namespace {

namespace fs = std::filesystem;

Error refuse(const std::string& field, const std::string& vi, const std::string& en) {
  return make_error(ErrorKind::kUnavailable, vi, en, field);
}

// A file made and removed in `dir`: root passes access(2) on any folder, and
// a read-only mount answers only a real write.
bool writable(const fs::path& dir) {
  std::string name = (dir / ".motcua-write-check-XXXXXX").string();
  const int fd = mkstemp(name.data());
  if (fd < 0) return false;
  close(fd);
  unlink(name.c_str());
  return true;
}

}  // namespace

Result<void> check_listen(const Options& o) {
  const std::string where = o.host + ":" + std::to_string(o.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(o.port);
  if (const int rc = getaddrinfo(o.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    const std::string why = gai_strerror(rc);
    return refuse("listen",
                  "Không thể lắng nghe tại " + where + ": không tìm được địa chỉ của máy '" +
                      o.host + "' (" + why + "). Hãy kiểm tra --listen.",
                  "Cannot listen on " + where + ": the host '" + o.host + "' cannot be resolved (" +
                      why + "). Check --listen.");
  }
  int error = 0;
  const int fd = socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  if (fd < 0) {
    error = errno;
  } else {
    const int on = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);  // as the server binds
    if (bind(fd, found->ai_addr, found->ai_addrlen) != 0) error = errno;
    close(fd);
  }
  freeaddrinfo(found);
  if (error == 0) return ok();
  std::string vi = "Hãy kiểm tra địa chỉ và cổng trong --listen.";
  std::string en = "Check the address and port given to --listen.";
  if (error == EADDRINUSE) {
    vi = "Hãy chọn cổng khác hoặc dừng chương trình đang dùng cổng này.";
    en = "Choose another port or stop the program that uses it.";
  } else if (error == EACCES) {
    vi = "Cổng dưới 1024 cần quyền quản trị: hãy chọn cổng từ 1024 trở lên.";
    en = "A port under 1024 needs privileges: choose a port of 1024 or more.";
  } else if (error == EADDRNOTAVAIL) {
    vi = "Địa chỉ này không thuộc máy này: hãy dùng địa chỉ của máy, hoặc 0.0.0.0.";
    en = "The address is not one of this machine's: use one of its addresses, or 0.0.0.0.";
  }
  const std::string why = std::strerror(error);
  return refuse("listen", "Không thể lắng nghe tại " + where + ": " + why + ". " + vi,
                "Cannot listen on " + where + ": " + why + ". " + en);
}

Result<void> check_files_dir(const fs::path& dir) {
  const std::string shown = dir.string();
  auto cannot = [&](const std::string& vi, const std::string& en) {
    return refuse("--files",
                  "Không lưu được tệp tải lên vào '" + shown + "': " + vi +
                      ". Hãy chọn thư mục khác bằng --files hoặc cấp quyền ghi.",
                  "Cannot keep uploaded files in '" + shown + "': " + en +
                      ". Choose another folder with --files or make it writable.");
  };
  // The folder, or the nearest of its parents that exists: it is made on the
  // first upload, so that parent must be a folder one can write in.
  std::error_code ec;
  fs::path at = dir.empty() ? fs::path(".") : dir;
  while (!fs::exists(at, ec)) {
    if (ec) return cannot(ec.message(), ec.message());
    const fs::path up = at.has_parent_path() && at.parent_path() != at ? at.parent_path() : ".";
    if (up == at) break;
    at = up;
  }
  if (!fs::is_directory(at, ec)) {
    return cannot("'" + at.string() + "' là một tệp, không phải thư mục",
                  "'" + at.string() + "' is a file, not a folder");
  }
  if (!writable(at)) {
    return cannot("không ghi được vào '" + at.string() + "'",
                  "'" + at.string() + "' cannot be written");
  }
  return ok();
}

Result<void> check_static_dir(const std::string& dir) {
  if (dir.empty()) return ok();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return refuse("--static",
                  "Không có thư mục '" + dir +
                      "' cho --static: hãy chỉ tới ứng dụng web đã "
                      "dựng (web/dist).",
                  "There is no folder '" + dir +
                      "' for --static: point it at the built web "
                      "application (web/dist).");
  }
  if (!fs::is_regular_file(fs::path(dir) / "index.html", ec)) {
    return refuse("--static",
                  "Thư mục '" + dir +
                      "' của --static không có index.html: hãy chỉ tới ứng dụng "
                      "web đã dựng (web/dist).",
                  "The --static folder '" + dir +
                      "' holds no index.html: point it at the built "
                      "web application (web/dist).");
  }
  return ok();
}

}  // namespace motcua::app
