// The unit registry built from the project's reference data (data/), once per
// test program: for tests that check rules against the real units.
#pragma once

#include <gtest/gtest.h>

#include "domain/units/registry.hpp"
#include "services/reference_data.hpp"

namespace motcua::units {

inline const Registry& real_registry() {
  static const Registry* r = [] {
    auto data = services::load_reference_data(MOTCUA_SOURCE_DIR "/data");
    if (!data) {
      ADD_FAILURE() << data.error().message_en;
      return new Registry(ReferenceData{});
    }
    return new Registry(std::move(data).value());
  }();
  return *r;
}

}  // namespace motcua::units
