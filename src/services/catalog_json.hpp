// The catalog's JSON form, shared by the data files, the store (one document
// per version), the import/export and the API.
//
// Reading is strict: a wrong type or an unknown key is a kBadRequest Error
// whose param names the field ("channels[0].fee_vnd"); read-only keys that an
// export or the API adds (version, retired, created_at, versions) are ignored.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domain/catalog/model.hpp"

namespace motcua::services {

boost::json::object procedure_to_json(const catalog::Procedure& p);
Result<catalog::Procedure> procedure_from_json(const boost::json::value& v);

boost::json::object bundle_to_json(const catalog::Bundle& b);
Result<catalog::Bundle> bundle_from_json(const boost::json::value& v);

// Parses JSON text; a syntax error is a kBadRequest Error (param `what`).
Result<boost::json::value> parse_json(std::string_view text, const char* what);

}  // namespace motcua::services
