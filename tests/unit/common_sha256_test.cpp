// SHA-256 against the standard's test vectors (FIPS 180-2), and parts hashed
// one after another equal to their concatenation, on several threads at once
// (each reuses a hasher of its own).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "common/sha256.hpp"

namespace motcua {
namespace {

TEST(Sha256Test, StandardVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, PartsHashAsTheirConcatenation) {
  EXPECT_EQ(to_hex(sha256({"ab", "", "c"})), sha256_hex("abc"));
  EXPECT_NE(to_hex(sha256({"ab", "d"})), sha256_hex("abc"));
}

TEST(Sha256Test, ThreadsHashIndependently) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (sha256_hex("abc") != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") {
          ++wrong[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace motcua
