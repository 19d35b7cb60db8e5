#include "services/known_devices.hpp"

#include <sodium.h>

#include "common/sha256.hpp"
#include "services/password_hash.hpp"

namespace motcua::services {

KnownDevices::KnownDevices() {
  init_crypto();
  key_.resize(crypto_auth_hmacsha256_KEYBYTES);
  randombytes_buf(key_.data(), key_.size());
}

std::string KnownDevices::mac(std::string_view account, std::string_view id) const {
  // The newline cannot occur in an id (base64url), so no two pairs give one text.
  std::string text(id);
  text += '\n';
  text += account;
  return hmac_sha256_hex(key_, text);
}

std::string KnownDevices::issue(std::string_view account) const {
  std::string id = random_token();
  return id + "." + mac(account, id);
}

std::string KnownDevices::id_of(std::string_view token, std::string_view account) const {
  const auto dot = token.find('.');
  if (dot != 43 || token.size() != 43 + 1 + 64) return {};
  const std::string_view id = token.substr(0, dot);
  if (!equal_secrets(token.substr(dot + 1), mac(account, id))) return {};
  return std::string(id);
}

std::string KnownDevices::cookie_name(std::string_view account) {
  return "motcua_device_" + sha256_hex(account).substr(0, 16);
}

}  // namespace motcua::services
