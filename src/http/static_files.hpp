// Serves a folder (the built web application) for GETs no route matched.
// Safe by construction: paths with "..", "." or backslashes are refused, and the
// resolved file must stay under the root (symlinks included).
#pragma once

#include <filesystem>
#include <optional>

#include "http/message.hpp"

namespace motcua::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);

  // A response for a GET/HEAD of req.path, or nullopt when the request is not
  // for static files (another method, or under /api/). "/" and unknown paths
  // without an extension get index.html, so a single-page app can route.
  // ETag and If-None-Match give 304.
  std::optional<Response> serve(const Request& req) const;

 private:
  std::filesystem::path root_;  // canonical
};

// Content type by file extension ("text/html; charset=utf-8" for ".html").
const char* content_type_for(const std::filesystem::path& file);

}  // namespace motcua::http
