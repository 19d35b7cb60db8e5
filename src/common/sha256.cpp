#include "common/sha256.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace motcua {
namespace {

struct ContextFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// Fetched once: an implicit fetch on every digest would look the provider up each time.
const EVP_MD* algorithm() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!md) throw std::runtime_error("OpenSSL has no SHA-256");
  return md;
}

EVP_MD_CTX* context() {
  thread_local std::unique_ptr<EVP_MD_CTX, ContextFree> ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::runtime_error("OpenSSL could not allocate a digest context");
  return ctx.get();
}

}  // namespace

Sha256Digest sha256(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = context();
  Sha256Digest out{};
  unsigned int size = 0;
  // Failures here mean a broken OpenSSL installation, not bad input: a bug.
  if (EVP_DigestInit_ex(ctx, algorithm(), nullptr) != 1) throw std::runtime_error("SHA-256 init");
  for (auto part : parts) {
    if (EVP_DigestUpdate(ctx, part.data(), part.size()) != 1) {
      throw std::runtime_error("SHA-256 update");
    }
  }
  if (EVP_DigestFinal_ex(ctx, out.data(), &size) != 1 || size != out.size()) {
    throw std::runtime_error("SHA-256 final");
  }
  return out;
}

std::string to_hex(const Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(digest.size() * 2, '0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace motcua
