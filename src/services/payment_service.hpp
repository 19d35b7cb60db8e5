// Online payment of a dossier's fees through the payment platform (nền tảng
// thanh toán trực tuyến) the province contracts with. The citizen's browser
// is sent to the platform with a signed order (the dossier, the amount due,
// where to come back); the platform reports the payment with a signed notice,
// which records the state machine's pay_online. Both are signed with
// HMAC-SHA-256 under a key the province and the platform share. Without a
// platform, online payment is off and says so; the desk still records
// payments at the counter (the pay action).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/access/principal.hpp"
#include "services/dossier_service.hpp"

namespace motcua::services {

struct PaymentPlatform {
  std::string url;  // the platform's page that takes an order
  std::string key;  // the shared signing key
};

// Where a citizen pays: `pay_url` is the platform's page with the signed order.
struct PaymentOrder {
  std::string dossier_id, code;
  std::int64_t amount_vnd = 0;
  std::string pay_url;
};

// What a notice said, and what it changed.
struct PaymentNoticeOutcome {
  bool recorded = false;  // false: the platform reports a payment that did not go through
  PaymentRecorded payment;
};

// Lower-case hex of HMAC-SHA-256(key, text).
std::string payment_signature(std::string_view key, std::string_view text);

class PaymentService {
 public:
  PaymentService(DossierService& dossiers, std::optional<PaymentPlatform> platform)
      : dossiers_(dossiers), platform_(std::move(platform)) {}

  // The applicant's order for the fees due on dossier `ref`; the platform
  // sends the browser back to `return_url` (checked by the caller).
  Result<PaymentOrder> order(const access::Principal& who, const std::string& ref,
                             const std::string& return_url);
  // The platform's notice: `body` as it came, `signature` its header.
  void notify(std::string_view body, std::string_view signature,
              DossierService::Done<PaymentNoticeOutcome> done);

 private:
  DossierService& dossiers_;
  std::optional<PaymentPlatform> platform_;
};

}  // namespace motcua::services
