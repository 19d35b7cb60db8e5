#include "http/static_files.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string_view>
#include <system_error>

#include "http/error_table.hpp"

namespace motcua::http {
namespace fs = std::filesystem;
namespace {

bool safe_relative_path(std::string_view path) {
  // path starts with '/'; every segment must be a plain name.
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view seg = path.substr(start, end - start);
    if (seg == "." || seg == ".." || seg.find('\\') != std::string_view::npos ||
        seg.find('\0') != std::string_view::npos)
      return false;
    start = end + 1;
  }
  return true;
}

bool is_under(const fs::path& file, const fs::path& root) {
  auto [r, f] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return r == root.end();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether an Accept-Encoding header takes gzip (RFC 9110 12.5.3): listed, or
// "*", without q=0.
bool takes_gzip(std::optional<std::string_view> accept) {
  if (!accept) return false;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t semi = item.find(';');
    const std::string_view name = trim(item.substr(0, semi));
    const std::string_view params =
        semi == std::string_view::npos ? std::string_view() : trim(item.substr(semi + 1));
    const bool refused =
        params.starts_with("q=0") && params.find_first_not_of("0.", 2) == std::string_view::npos;
    if ((iequals(name, "gzip") || name == "*") && !refused) return true;
  }
  return false;
}

Response not_found(const Request& req) {
  return problem(make_error(ErrorKind::kNotFound, "Không tìm thấy tệp " + req.path + ".",
                            "No file at " + req.path + "."),
                 req.path);
}

}  // namespace

const char* content_type_for(const fs::path& file) {
  const std::string ext = file.extension().string();
  struct Entry {
    std::string_view ext;
    const char* type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".pdf", "application/pdf"},
      {".wasm", "application/wasm"},
  };
  for (const auto& e : kTypes)
    if (e.ext == ext) return e.type;
  return "application/octet-stream";
}

StaticFiles::StaticFiles(fs::path root) {
  std::error_code ec;
  root_ = fs::weakly_canonical(fs::absolute(root, ec), ec);
  if (ec) root_ = std::move(root);
}

std::optional<Response> StaticFiles::serve(const Request& req) const {
  if (req.method != "GET" && req.method != "HEAD") return std::nullopt;
  if (req.path == "/api" || req.path.starts_with("/api/")) return std::nullopt;
  if (!safe_relative_path(req.path)) {
    return problem(
        make_error(ErrorKind::kBadRequest,
                   "Đường dẫn tệp không hợp lệ (không được chứa '.', '..' hoặc '\\').",
                   "Invalid file path (it must not contain '.', '..' or '\\' segments).", "path"),
        req.path);
  }

  std::error_code ec;
  // relative_path(): "//etc/passwd" must not name /etc/passwd, whose mere
  // existence would show in a 404 where a missing file gets the app.
  fs::path file = root_ / fs::path(std::string_view(req.path)).relative_path();
  if (fs::is_directory(file, ec)) file /= "index.html";
  if (!fs::is_regular_file(file, ec)) {
    // A route of the single-page app ("/ho-so/123", "/procedures/1.001193",
    // "/track/H01.000.04-251122-0001"), unless it names a kind of asset.
    if (std::string_view(content_type_for(fs::path(req.path))) != "application/octet-stream") {
      return not_found(req);
    }
    file = root_ / "index.html";
  }
  // Symlinks must not lead out of the root.
  const fs::path real = fs::canonical(file, ec);
  if (ec || !is_under(real, root_) || !fs::is_regular_file(real, ec)) return not_found(req);

  // Its gzip twin, made beside it by scripts/build-web, goes instead to a
  // client that takes gzip: the application's script in about a third of
  // the bytes, compressed once at build time rather than on every request.
  fs::path twin = real;
  twin += ".gz";
  const fs::path twin_real = fs::canonical(twin, ec);
  const bool has_twin = !ec && is_under(twin_real, root_) && fs::is_regular_file(twin_real, ec);
  const bool zipped = has_twin && takes_gzip(req.header("accept-encoding"));
  const fs::path& sent = zipped ? twin_real : real;

  const auto size = fs::file_size(sent, ec);
  if (ec) return not_found(req);
  const auto mtime = fs::last_write_time(sent, ec).time_since_epoch().count();
  char etag[64];
  std::snprintf(etag, sizeof etag, zipped ? "\"%llx-%llx-gz\"" : "\"%llx-%llx\"",
                static_cast<unsigned long long>(mtime), static_cast<unsigned long long>(size));

  Response r;
  r.content_type = content_type_for(real);
  r.headers.emplace_back("ETag", etag);
  if (zipped) r.headers.emplace_back("Content-Encoding", "gzip");
  if (has_twin) r.headers.emplace_back("Vary", "Accept-Encoding");
  // index.html names the hashed assets, so it must be revalidated every time;
  // a file under /assets/ has its content's hash in its name, so it never
  // changes and may be kept a year.
  r.headers.emplace_back("Cache-Control", real.filename() == "index.html" ? "no-cache"
                                          : req.path.starts_with("/assets/")
                                              ? "public, max-age=31536000, immutable"
                                              : "public, max-age=3600");
  if (auto inm = req.header("if-none-match")) {
    // A list of tags or "*" (RFC 9110 13.1.2); weak comparison.
    const std::string_view tag(etag);
    const std::string_view v = *inm;
    if (v == "*" || v.find(tag) != std::string_view::npos) {
      r.status = 304;
      return r;
    }
  }
  std::ifstream in(sent, std::ios::binary);
  if (!in) return not_found(req);
  r.body.resize(size);
  in.read(r.body.data(), static_cast<std::streamsize>(size));
  r.body.resize(static_cast<std::size_t>(in.gcount()));
  return r;
}

}  // namespace motcua::http
