// What every store test file shares: an error described for a failure
// message, and ASSERT_OK for a Result.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "common/error.hpp"
#include "common/result.hpp"

namespace motcua::store::test_support {

inline std::string describe(const Error& e) {
  return std::string(error_kind_name(e.kind)) + ": " + e.message_en + " | " + e.message_vi +
         (e.param.empty() ? "" : " [" + e.param + "]");
}

template <class T>
std::string describe(const Result<T>& r) {
  return r.ok() ? "ok" : describe(r.error());
}

}  // namespace motcua::store::test_support

#define ASSERT_OK(expr)                                                                     \
  do {                                                                                      \
    const auto& r_ = (expr);                                                                \
    ASSERT_TRUE(r_.ok()) << #expr << " -> " << ::motcua::store::test_support::describe(r_); \
  } while (0)
