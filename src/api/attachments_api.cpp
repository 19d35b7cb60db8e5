#include "api/attachments_api.hpp"

#include <boost/json/serialize.hpp>

#include "api/access_guard.hpp"
#include "http/error_table.hpp"
#include "http/request_target.hpp"

namespace motcua::api {
namespace {

namespace json = boost::json;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// X-File-Name is percent-encoded UTF-8 (headers are ASCII): its bytes, "" when
// absent or not decodable. The service decides what of it is kept.
std::string file_name_of(const http::Request& req) {
  auto raw = req.header("x-file-name");
  if (!raw) return "";
  std::string out;
  for (std::size_t i = 0; i < raw->size(); ++i) {
    const char c = (*raw)[i];
    if (c == '%' && i + 2 < raw->size()) {
      const int hi = hex_value((*raw)[i + 1]);
      const int lo = hex_value((*raw)[i + 2]);
      if (hi < 0 || lo < 0) return "";
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

json::object upload_json(const store::UploadRecord& u) {
  return {{"sha256", u.sha256},
          {"size", u.size},
          {"media_type", u.media_type},
          {"file_name", u.file_name}};
}

}  // namespace

void add_attachment_routes(http::Router& router, services::AttachmentService& files,
                           services::DossierService& dossiers, services::PersonalDataLog& views) {
  auto* svc = &files;
  auto* dossier_svc = &dossiers;
  auto* log = &views;

  router.add("POST", "/api/v1/attachments", "attachment.upload", [svc](const http::Request& req) {
    auto out = svc->upload(session_of(req)->principal, req.body, file_name_of(req));
    if (!out) return http::problem(out.error(), req.path);
    auto r =
        http::json_response(out->first_time ? 201 : 200, json::serialize(upload_json(out->upload)));
    r.headers.emplace_back("Location", "/api/v1/attachments/" + out->upload.sha256 + "/meta");
    return r;
  });
  // Uploads take files up to the configured size, not the server's 1 MiB.
  router.set_body_limit("POST", "/api/v1/attachments", files.max_bytes());

  router.add("GET", "/api/v1/attachments/{sha256}/meta", "attachment.upload",
             [svc](const http::Request& req) {
               auto m = svc->meta(session_of(req)->principal, std::string(req.param("sha256")));
               if (!m) return http::problem(m.error(), req.path);
               return http::json_response(200, json::serialize(upload_json(*m)));
             });

  router.add(
      "GET", "/api/v1/dossiers/{code}/attachments/{sha256}", "dossier.read",
      [svc, dossier_svc, log](const http::Request& req) {
        const auto& who = session_of(req)->principal;
        auto v = dossier_svc->get(who, std::string(req.param("code")));
        if (!v) return http::problem(v.error(), req.path);
        const std::string sha(req.param("sha256"));
        auto file = svc->read_for(v->dossier, sha);
        if (!file) return http::problem(file.error(), req.path);
        if (v->dossier.applicant_user_id != std::to_string(who.user_id)) {
          auto logged = log->record(who, "dossier", v->dossier.id, "download",
                                    {req.method + " /api/v1/dossiers/{code}/attachments/{sha256}",
                                     req.request_id, req.remote});
          if (!logged) return http::problem(logged.error(), req.path);
        }
        http::Response r;
        r.status = 200;
        r.content_type = std::string(file->type.media_type);
        r.body = std::move(file->bytes);
        const std::string name = (v->dossier.code.empty() ? v->dossier.id : v->dossier.code) + "-" +
                                 sha.substr(0, 12) + "." + std::string(file->type.extension);
        r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
        r.headers.emplace_back("ETag", "\"" + sha + "\"");
        r.headers.emplace_back("X-Content-Type-Options", "nosniff");
        r.headers.emplace_back("Cache-Control", "private, no-store");
        return r;
      });
}

}  // namespace motcua::api
