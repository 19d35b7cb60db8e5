#include "services/payment_service.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "domain/dossier/state_machine.hpp"
#include "services/dossier_json.hpp"
#include "services/password_hash.hpp"

namespace motcua::services {
namespace {

namespace json = boost::json;

Error bad_notice(std::string field, std::string vi, std::string en) {
  return make_error(ErrorKind::kBadRequest, std::move(vi), std::move(en), std::move(field));
}

// RFC 3986's unreserved characters stay; every other byte is %XX.
std::string query_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

bool signature_matches(std::string_view key, std::string_view text, std::string_view given) {
  return equal_secrets(given, payment_signature(key, text));
}

}  // namespace

std::string payment_signature(std::string_view key, std::string_view text) {
  return hmac_sha256_hex(key, text);
}

Result<PaymentOrder> PaymentService::order(const access::Principal& who, const std::string& ref,
                                           const std::string& return_url) {
  if (!platform_) {
    return make_error(ErrorKind::kUnavailable,
                      "Chưa kết nối nền tảng thanh toán trực tuyến: hãy nộp phí, lệ phí tại bộ "
                      "phận một cửa.",
                      "No online payment platform is connected: pay the fees at the desk.");
  }
  auto v = dossiers_.get(who, ref);
  if (!v) return v.error();
  const dossier::Dossier& d = v->dossier;
  if (!who.has(access::Role::kCitizen) || d.applicant_user_id != std::to_string(who.user_id)) {
    return make_error(ErrorKind::kForbidden,
                      "Chỉ người nộp hồ sơ mới được thanh toán trực tuyến; bộ phận một cửa "
                      "ghi nhận khoản nộp tại quầy.",
                      "Only the applicant pays online; the desk records payments at the counter.",
                      "actor");
  }
  // A notice is recorded on a closed dossier too (the money was taken), but
  // no new order is made for one.
  const auto open = dossier::allowed_actions(d, dossier::Role::kPaymentPlatform);
  if (dossier::is_final(d.state) ||
      std::find(open.begin(), open.end(), dossier::Action::kPayOnline) == open.end()) {
    if (d.unpaid_vnd() == 0) {
      return make_error(ErrorKind::kConflict, "Hồ sơ không còn phí, lệ phí nào phải nộp.",
                        "The dossier has no fee left to pay.");
    }
    const std::string state = dossier::state_name(d.state);
    return make_error(ErrorKind::kConflict,
                      "Hồ sơ ở trạng thái \"" + std::string(dossier::state_label_vi(d.state)) +
                          "\" không thanh toán trực tuyến được.",
                      "A dossier that is \"" + state + "\" cannot be paid online.", "state");
  }
  PaymentOrder o{d.id, d.code, d.unpaid_vnd(), {}};
  // The order the platform checks: these fields in this order, signed.
  const std::string query = "amount_vnd=" + std::to_string(o.amount_vnd) +
                            "&dossier_id=" + query_escape(d.id) +
                            "&return_url=" + query_escape(return_url);
  o.pay_url = platform_->url + (platform_->url.find('?') == std::string::npos ? "?" : "&") + query +
              "&signature=" + payment_signature(platform_->key, query);
  return o;
}

void PaymentService::notify(std::string_view body, std::string_view signature,
                            DossierService::Done<PaymentNoticeOutcome> done) {
  if (!platform_) {
    return done(make_error(ErrorKind::kUnavailable, "Chưa kết nối nền tảng thanh toán trực tuyến.",
                           "No online payment platform is connected."));
  }
  if (!signature_matches(platform_->key, body, signature)) {
    return done(
        make_error(ErrorKind::kUnauthorized,
                   "Chữ ký của thông báo thanh toán không đúng (tiêu đề Payment-Signature).",
                   "The payment notice's signature is wrong (the Payment-Signature header).",
                   "Payment-Signature"));
  }
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return done(bad_notice("body", "Thông báo thanh toán phải là một đối tượng JSON.",
                           "The payment notice must be a JSON object."));
  }
  const json::object& o = v.get_object();
  auto id = string_field(o, "dossier_id", "dossier_id", true);
  if (!id) return done(id.error());
  auto transaction = string_field(o, "transaction", "transaction", true);
  if (!transaction) return done(transaction.error());
  auto status = string_field(o, "status", "status", true);
  if (!status) return done(status.error());
  const auto* amount = o.if_contains("amount_vnd");
  if (!amount || !amount->is_int64() || amount->get_int64() <= 0) {
    return done(bad_notice("amount_vnd", "amount_vnd phải là số tiền (đồng) dương.",
                           "amount_vnd must be a positive amount in VND."));
  }
  if (*status == "failed" || *status == "cancelled") {
    return done(PaymentNoticeOutcome{false, {*id, {}, 0, false}});
  }
  if (*status != "paid") {
    return done(bad_notice("status", "status phải là paid, failed hoặc cancelled.",
                           "status must be paid, failed or cancelled."));
  }
  dossiers_.record_online_payment(*id, amount->get_int64(), *transaction,
                                  [done = std::move(done)](Result<PaymentRecorded> r) {
                                    if (!r) return done(r.error());
                                    done(PaymentNoticeOutcome{true, std::move(*r)});
                                  });
}

}  // namespace motcua::services
