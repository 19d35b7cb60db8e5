// Password hashing with argon2id (libsodium's crypto_pwhash_str), the random
// tokens of sessions, and the HMAC that signs what the server hands out.
//
// Cost: opslimit 2 passes over memlimit 64 MiB (libsodium's INTERACTIVE
// preset, above OWASP's 19 MiB/2 passes floor). On the 2-core build machine
// one hash takes about 130-150 ms and a login's p99 is under 300 ms
// (bench/access_bench); a person does not notice, and together with the
// throttle it makes guessing slow. Each hash holds 64 MiB while it runs. Raise kOpsLimit when
// hardware allows: hashes made with an older cost are rehashed at the next successful login.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::services {

inline constexpr unsigned long long kPasswordOpsLimit = 2;
inline constexpr std::size_t kPasswordMemLimit = 64u << 20;

// Calls sodium_init(); safe to call many times and from many threads.
void init_crypto();

// The encoded argon2id string ("$argon2id$v=19$m=65536,t=2,p=1$...").
Result<std::string> hash_password(std::string_view password);
bool verify_password(const std::string& encoded, std::string_view password);
bool password_needs_rehash(const std::string& encoded);

// A random 256-bit token, base64url without padding (43 characters).
std::string random_token();
// Lower-case hex SHA-256 of `token`: what the sessions table keeps.
std::string token_hash(std::string_view token);
// Compares in time independent of where the strings differ.
bool equal_secrets(std::string_view a, std::string_view b);
// Lower-case hex HMAC-SHA256 of `text` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view text);

}  // namespace motcua::services
