// JSON shapes of the unit registry, shared by the handlers and the OpenAPI document.
#pragma once

#include <boost/json/object.hpp>

#include "domain/units/registry.hpp"
#include "domain/units/resolver.hpp"

namespace motcua::api {

boost::json::object unit_json(const units::UnitVersion& v);
boost::json::object predecessor_json(const units::Predecessor& p);
boost::json::object successor_json(const units::Succession& s);
boost::json::object candidate_json(const units::Candidate& c);

}  // namespace motcua::api
