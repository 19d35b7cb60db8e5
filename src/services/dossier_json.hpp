// The dossier's JSON form: the body the store keeps (every field, so a
// dossier read back equals the one written) and the base of the API's answer.
// Times are RFC 3339 in Vietnam time; enums use their stable names.
//
// Reading request bodies is strict where a person typed something: a wrong
// type is a kBadRequest Error naming the field ("applicant.id_number",
// "components[1].form").
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/dossier/dossier.hpp"

namespace motcua::store {
struct DossierRecord;
}

namespace motcua::services {

// The body as JSON text, every field in a fixed order; the API's view of a
// dossier is this text with its own members added at the end.
std::string dossier_json_text(const dossier::Dossier& d);
// The stored body back into a Dossier (kInternal if it is corrupt).
Result<dossier::Dossier> dossier_from_json(std::string_view text);
// The same from a row, naming the dossier if its body is corrupt: a rebuild
// or a sweep that stops on one says which to repair.
Result<dossier::Dossier> dossier_from_row(const store::DossierRecord& row);
// An optional time as the body spells it: RFC 3339 text, or none (JsonWriter
// writes null).
std::optional<std::string> time_or_null(const std::optional<calendar::Instant>& t);

// Field readers for request bodies; `where` is the field's name for errors.
// Their strings are read by request_text() (services/request_text.hpp):
// refused with a control character, else kept composed (NFC).
// An absent or null member gives the fallback (optional ones: empty).
Result<std::string> string_field(const boost::json::object& o, std::string_view key,
                                 const std::string& where, bool required = false);
Result<std::vector<std::string>> string_list_field(const boost::json::object& o,
                                                   std::string_view key, const std::string& where);
Result<dossier::Applicant> applicant_from_json(const boost::json::value& v,
                                               const std::string& where);
Result<std::vector<dossier::ComponentProvided>> components_from_json(const boost::json::object& o,
                                                                     std::string_view key);

}  // namespace motcua::services
