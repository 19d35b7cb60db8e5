// SHA-256 through OpenSSL, which uses the processor's SHA instructions where
// it has them (about twice libsodium's speed on the short texts of the event
// log). One hasher per thread is reused, so a digest allocates nothing.
#pragma once

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>

namespace motcua {

using Sha256Digest = std::array<unsigned char, 32>;

// The digest of the parts, hashed one after another as if concatenated.
Sha256Digest sha256(std::initializer_list<std::string_view> parts);
inline Sha256Digest sha256(std::string_view bytes) { return sha256({bytes}); }

// 64 lowercase hexadecimal digits.
std::string to_hex(const Sha256Digest& digest);
inline std::string sha256_hex(std::string_view bytes) { return to_hex(sha256(bytes)); }

}  // namespace motcua
