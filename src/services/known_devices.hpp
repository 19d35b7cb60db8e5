// Devices an account signed in from before: the sign-in answer leaves a token
// on the device (a cookie), and a later sign-in that shows it for the same
// account is counted by the throttle apart from the account's failures. So
// someone who knows a staff username and guesses at it holds back their own
// guesses, not its owner, who signs in from the counter's computer as usual.
//
// A token is "{id}.{hex HMAC-SHA256 of account and id}" under a key made when
// the process starts: after a restart every device is unknown again, as the
// throttle's counts are gone too, and the next sign-in leaves a new token.
#pragma once

#include <string>
#include <string_view>

namespace motcua::services {

class KnownDevices {
 public:
  KnownDevices();

  // A new token for a device `account` has just signed in from.
  std::string issue(std::string_view account) const;
  // The device's id when `token` was issued here for `account`; empty when
  // not (absent, malformed, forged, another account's, an earlier process's).
  std::string id_of(std::string_view token, std::string_view account) const;
  // The cookie a device keeps `account`'s token in: one an account, so that
  // a computer several officers sign in from knows each of them.
  static std::string cookie_name(std::string_view account);

 private:
  std::string mac(std::string_view account, std::string_view id) const;
  std::string key_;
};

}  // namespace motcua::services
