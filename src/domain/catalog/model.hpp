// The procedure catalog as plain values: a procedure (thủ tục hành chính) with
// its channels, components, steps and legal basis, the authority that settles
// it before and after the 1 July 2025 reform, and bundles (liên thông).
//
// Enumerations are kept as their wire spelling ("commune", "working_days") so
// the JSON, the CSV and the database read the same; validate() (rules.hpp)
// checks every one of them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace motcua::catalog {

// One way to submit a dossier, with its own time limit and fee.
struct Channel {
  std::string channel;             // online | post | counter
  std::optional<int> time_amount;  // absent: the text says "not fixed"
  std::string time_unit;           // working_days | working_hours | calendar_days | "" (not fixed)
  std::string time_text;           // as published: "03 ngày làm việc"
  std::optional<std::int64_t> fee_vnd;  // absent: set elsewhere (see fee_text)
  std::string fee_text;                 // as published: "Miễn phí", "8.000 đồng/bản"
  std::string note;

  bool operator==(const Channel&) const = default;
};

// One paper of the dossier (thành phần hồ sơ).
struct Component {
  std::string name;
  std::string copy_kind = "original";     // original | copy | original_or_copy | original_and_copy
  std::string presentation = "submit";    // submit | show (xuất trình: shown, not kept)
  int quantity = 1;                       // 0: not stated
  std::string requirement = "mandatory";  // mandatory | conditional
  std::string condition;                  // when conditional: the case it applies to
  std::string form;                       // form template (mẫu đơn, tờ khai), if any
  std::string quantity_text;              // as published
  // The channels it is asked for on (the paper form at the counter or by
  // post, the e-form online); empty: every channel.
  std::vector<std::string> channels;

  bool operator==(const Component&) const = default;
};

// Who settled the procedure before 1 July 2025 and who settles it since, and
// the text that moved it (unchanged procedures have an empty decree).
struct Decentralisation {
  std::string before_level;  // commune | district | province | national
  std::string before_agency;
  std::string after_level;  // commune | province | national
  std::string after_agency;
  std::string since;   // YYYY-MM-DD, normally 2025-07-01
  std::string decree;  // "120/2025/NĐ-CP"
  std::string note;

  bool operator==(const Decentralisation&) const = default;
};

// A fact that was not confirmed from the legal text: `field` names it
// ("channels[0].fee_vnd"), `note` says what to check.
struct VerifyFlag {
  std::string field;
  std::string note;

  bool operator==(const VerifyFlag&) const = default;
};

struct Procedure {
  std::string code;  // national code "1.001193"; "L.000001" for a local one
  std::string name;
  std::string field;            // lĩnh vực
  std::string group;            // nhóm
  std::string competent_level;  // commune | province
  std::string competent_agency;
  std::string online_level;  // full | partial | none
  std::vector<Channel> channels;
  std::vector<Component> components;
  std::vector<std::string> component_notes;
  std::vector<std::string> steps;
  std::vector<std::string> legal_basis;  // document numbers: "123/2015/NĐ-CP"
  std::string result;                    // what the applicant receives
  std::optional<Decentralisation> decentralisation;
  std::vector<VerifyFlag> verify;
  std::string source;                           // where the facts come from
  std::map<std::string, std::string> original;  // published texts beside the parsed fields

  bool operator==(const Procedure&) const = default;
};

// A stored version of a procedure: the content plus what the store adds.
struct ProcedureVersion {
  Procedure procedure;
  int version = 0;
  bool retired = false;
  std::string created_at;  // RFC 3339
};

// One submission that starts several procedures (liên thông).
struct Bundle {
  std::string code;
  std::string name;
  std::string description;
  std::vector<std::string> members;  // procedure codes, in the order they run
  std::vector<std::string> legal_basis;
  std::vector<VerifyFlag> verify;

  bool operator==(const Bundle&) const = default;
};

}  // namespace motcua::catalog
