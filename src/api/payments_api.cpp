#include "api/payments_api.hpp"

#include "api/access_guard.hpp"
#include "api/params.hpp"
#include "common/json_text.hpp"
#include "http/error_table.hpp"

namespace motcua::api {
namespace {

// The page the platform sends the browser back to: on this site (the host
// the request came to), so an order cannot send anyone elsewhere.
Result<std::string> return_url(const http::Request& req) {
  auto bad = [] {
    return bad_param("return_url",
                     "return_url phải là địa chỉ http(s) đầy đủ của một trang trên trang này.",
                     "return_url must be a full http(s) address of a page on this site.");
  };
  auto body = body_object(req);
  if (!body) return body.error();
  const auto* u = body->if_contains("return_url");
  if (!u || !u->is_string()) return bad();
  const std::string url(u->get_string());
  const auto host = req.header("host");
  if (!host || url.size() > 2000) return bad();
  for (const char* scheme : {"http://", "https://"}) {
    const std::string prefix = scheme + std::string(*host);
    if (url.rfind(prefix, 0) == 0 && (url.size() == prefix.size() || url[prefix.size()] == '/')) {
      for (const char c : url) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return bad();
      }
      return url;
    }
  }
  return bad();
}

}  // namespace

void add_payment_routes(http::Router& router, services::PaymentService& payments) {
  auto* svc = &payments;
  router.add(
      "POST", "/api/v1/dossiers/{code}/payment", "dossier.read", [svc](const http::Request& req) {
        auto back = return_url(req);
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
