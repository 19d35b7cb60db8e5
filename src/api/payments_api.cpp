#include "api/payments_api.hpp"

#include <vector>

#include "api/access_guard.hpp"
#include "api/params.hpp"
#include "common/json_text.hpp"
#include "http/error_table.hpp"

namespace motcua::api {
namespace {

// The page the platform sends the browser back to: on this site, so that an
// order signed here cannot send anyone elsewhere. The site is `public_url`,
// or without one, the host the request came to.
Result<std::string> return_url(const http::Request& req, const std::string& public_url) {
  auto bad = [] {
    return bad_param("return_url",
                     "return_url phải là địa chỉ http(s) đầy đủ của một trang thuộc trang web này.",
                     "return_url must be a full http(s) address of a page on this site.");
  };
  auto body = body_object(req);
  if (!body) return body.error();
  const auto* u = body->if_contains("return_url");
  if (!u || !u->is_string()) return bad();
  const std::string url(u->get_string());
  if (url.size() > 2000) return bad();
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return bad();
  }
  std::vector<std::string> sites;
  if (!public_url.empty()) {
    sites.push_back(public_url);
  } else if (const auto host = req.header("host")) {
    for (const char* scheme : {"http://", "https://"}) sites.push_back(scheme + std::string(*host));
  }
  for (const auto& site : sites) {
    // The site itself, or a page under it: not "https://site.example.vn.evil".
    if (url.rfind(site, 0) == 0 && (url.size() == site.size() || url[site.size()] == '/'))
      return url;
  }
  return bad();
}

}  // namespace

void add_payment_routes(http::Router& router, services::PaymentService& payments,
                        std::string public_url) {
  auto* svc = &payments;
  router.add(
      "POST", "/api/v1/dossiers/{code}/payment", "dossier.read",
      [svc, site = std::move(public_url)](const http::Request& req) {
        auto back = return_url(req, site);
        if (!back) return http::problem(back.error(), req.path);
        auto o = svc->order(session_of(req)->principal, std::string(req.param("code")), *back);
        if (!o) return http::problem(o.error(), req.path);
        JsonWriter w;
        w.begin_object()
            .member("dossier_id", o->dossier_id)
            .member("code", o->code)
            .member("amount_vnd", o->amount_vnd)
            .member("pay_url", o->pay_url)
            .end_object();
        return http::json_response(200, w.take());
      });

  // Answered once the payment is durable: a platform repeats a notice it
  // has no 200 for, so an answer must never come before the write.
  router.add_deferred("POST", "/api/v1/payments/notify", "public",
                      [svc](const http::Request& req, http::Reply reply) {
                        // The platform sends its notice as JSON, as documented.
                        if (auto r = json_content_type(req); !r)
                          return reply(http::problem(r.error(), req.path));
                        const auto signature = req.header("payment-signature");
                        svc->notify(
                            req.body, signature ? *signature : std::string_view(),
                            [reply, path = req.path](Result<services::PaymentNoticeOutcome> r) {
                              if (!r) return reply(http::problem(r.error(), path));
                              JsonWriter w;
                              w.begin_object()
                                  .member("recorded", r->recorded)
                                  .member("dossier_id", r->payment.dossier_id)
                                  .member("code", r->payment.code)
                                  .member("version", r->payment.version)
                                  .member("replayed", r->payment.replayed)
                                  .end_object();
                              reply(http::json_response(200, w.take()));
                            });
                      });
  router.set_body_limit("POST", "/api/v1/payments/notify", 16 << 10);  // a notice, from anyone
}

}  // namespace motcua::api
