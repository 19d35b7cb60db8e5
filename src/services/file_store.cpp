#include "services/file_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace motcua::services {
namespace {

// The reason in Vietnamese for what an operator can act on; the system's
// own words otherwise.
std::string reason_vi(int err) {
  switch (err) {
    case ENOSPC:
      return "ổ đĩa đã đầy";
    case EDQUOT:
      return "đã vượt hạn mức dung lượng đĩa";
    case EFBIG:
      return "tệp vượt giới hạn kích thước tệp của tiến trình (ulimit -f)";
    case EACCES:
    case EPERM:
      return "không có quyền ghi vào thư mục lưu tệp";
    case EROFS:
      return "thư mục lưu tệp nằm trên ổ chỉ đọc";
    case EMFILE:
    case ENFILE:
      return "đang mở quá nhiều tệp";
    case EIO:
      return "lỗi đọc ghi của ổ đĩa";
    default:
      return std::strerror(err);
  }
}

// A write that failed: a 503 for the person, with the path in the log for the
// operator (a full disk must reach whoever can free it).
Error io_error(const std::string& what_vi, const std::string& what_en,
               const std::filesystem::path& where) {
  const int err = errno;
  const std::string why = std::strerror(err);
  return with_log_detail(make_error(ErrorKind::kUnavailable, what_vi + ": " + reason_vi(err) + ".",
                                    what_en + ": " + why + "."),
                         where.string());
}

// Opens `path` (a file or a folder) and fsyncs it.
bool sync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool good = ::fsync(fd) == 0;
  ::close(fd);
  return good;
}

}  // namespace

bool is_sha256_hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::filesystem::path FileStore::path_of(const std::string& sha256) const {
  return dir_ / sha256.substr(0, 2) / sha256;
}

Result<void> FileStore::put(const std::string& sha256, std::string_view bytes) const {
  const auto target = path_of(sha256);
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) return ok();  // the same bytes, stored before
  const auto folder = target.parent_path();
  const bool new_folder = std::filesystem::create_directories(folder, ec);
  if (ec) {
    return with_log_detail(
        make_error(ErrorKind::kUnavailable, "Không tạo được thư mục lưu tệp: " + ec.message() + ".",
                   "Cannot create the file folder: " + ec.message() + "."),
        folder.string());
  }
  const auto temp = folder / (sha256 + ".tmp." + std::to_string(::getpid()) + "." +
                              std::to_string(randombytes_random()));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return io_error("Không ghi được tệp", "Cannot write the file", temp);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool written = done == bytes.size() && ::fsync(fd) == 0;
  const int why = errno;  // the write's or fsync's, before close
  ::close(fd);
  if (!written) {
    errno = why;
    auto e = io_error("Không ghi được tệp", "Cannot write the file", temp);
    std::filesystem::remove(temp, ec);
    return e;
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    auto e = io_error("Không lưu được tệp", "Cannot store the file", target);
    std::filesystem::remove(temp, ec);
    return e;
  }
  // The new name, and a new folder's own entry, must reach the disk too.
  if (!sync_path(folder, O_RDONLY | O_DIRECTORY) ||
      (new_folder && !sync_path(dir_, O_RDONLY | O_DIRECTORY))) {
    return io_error("Không đồng bộ được thư mục tệp", "Cannot sync the file folder", folder);
  }
  return ok();
}

Result<std::string> FileStore::get(const std::string& sha256) const {
  std::ifstream in(path_of(sha256), std::ios::binary);
  if (!in) {
    return make_error(ErrorKind::kNotFound, "Không có tệp " + sha256 + ".",
                      "There is no file " + sha256 + ".", "sha256");
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace motcua::services
