// The append-only log of what happened to dossiers, hash-chained so that
// tampering shows: every entry carries the SHA-256 of the previous entry's
// hash and its own canonical text, so editing, deleting, inserting or
// reordering an entry breaks the chain at that point.
//
//   hash(e) = hex(SHA-256(prev_hash(e) || canonical_event(e)))
//   prev_hash(first entry) = kGenesisHash (64 zeros)
//
// canonical_event() is one JSON object, keys in a fixed order, no whitespace
// (json_text.hpp): {"v":1,"seq":..,"dossier_id":..,"dossier_code":..,"at":..,
// "actor":{"user_id":..,"role":..,"unit":..},"action":..,"from":..,"to":..,
// "note":..,"payload":"<payload JSON as a string>"}. The payload is hashed as
// the text stored, not re-encoded, so any JSON library may write it.
//
// An entry also seals the dossier's body as the change left it: "v":2 and a
// last member "body_sha256" (hex SHA-256 of the stored body text). The row's
// applicant, papers and fees are in no entry; with the digest, a body edited
// outside the program no longer matches its last entry (check_row). Entries
// written before the digest, and a simulated history's earlier entries (only
// the final body is made), have none: "v":1, hashed as they always were.
//
// What the chain covers (one per dossier, or one per unit or store) is the
// store's choice; seq is the position in that chain, from 1, without gaps.
// A plain hash has no secret: someone able to rewrite an entry AND every entry
// after it would produce a consistent chain. The head (last seq and hash) kept
// apart from the log, in the dossier row or published, closes that: pass it
// as `expected_head` and a truncated or rewritten tail is caught too.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar/civil_date.hpp"

namespace motcua::dossier {

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct Event {
  std::int64_t seq = 0;
  std::string dossier_id;
  std::string dossier_code;  // empty before receipt
  calendar::Instant at;
  std::string actor_user_id;
  std::string actor_role;  // role name (state_machine.hpp)
  std::string actor_unit;
  std::string action;      // action name
  std::string from_state;  // state names (dossier.hpp)
  std::string to_state;
  std::string note;
  std::string payload_json = "{}";
  std::string body_sha256;  // the body this entry left; empty: not sealed (see above)
  std::string prev_hash;  // 64 lower-case hex digits
  std::string hash;
};

std::string canonical_event(const Event& e);

// Lower-case hex SHA-256 of prev_hash followed by canonical_event(e).
std::string event_hash(std::string_view prev_hash, const Event& e);

// The end of a chain: its last seq and hash (seq 0 and kGenesisHash: empty).
struct ChainHead {
  std::int64_t seq = 0;
  std::string hash = std::string(kGenesisHash);
};

// Sets e.seq, e.prev_hash, e.body_sha256 (from `body`, the dossier's body
// text as it will be stored; nullopt: not sealed) and e.hash to append e
// after `head`; returns the new head.
ChainHead append_event(Event& e, const ChainHead& head, std::optional<std::string_view> body);

// A chain read from its beginning, as stored: the links are not stored, so
// each entry's prev_hash is set to the hash of the entry before it
// (kGenesisHash for the first). verify_chain then checks every hash.
void link_stored_chain(std::span<Event> events);

enum class ChainFault {
  kNone,
  kEdited,        // the entry's hash does not match its content
  kBrokenLink,    // prev_hash is not the previous entry's hash (inserted or replaced)
  kMissing,       // seq skips: entries before this one were deleted
  kOutOfOrder,    // seq goes back or repeats: reordered or inserted
  kHeadMismatch,  // the chain does not end at the expected head (tail cut or rewritten)
};

const char* chain_fault_name(ChainFault f);

struct ChainVerdict {
  ChainFault fault = ChainFault::kNone;
  // Position in the span of the first bad entry; for kHeadMismatch size(),
  // past the last entry (the messages then name the head, no entry).
  std::size_t index = 0;
  std::int64_t seq = 0;   // its seq as stored
  std::string message_en;
  std::string message_vi;

  bool ok() const { return fault == ChainFault::kNone; }
};

// Checks `events` in order, as the continuation of `start` (the head before
// the first one: the default for a chain read from its beginning), and, when
// given, that they end at `expected_head`. Returns the first bad entry.
ChainVerdict verify_chain(std::span<const Event> events, const ChainHead& start = {},
                          const std::optional<ChainHead>& expected_head = std::nullopt);

// --- What the log determines of the dossier's row (audit verify) ---
//
// The chain covers its entries; the row outside it is checked against what
// an intact chain says: the last entry's to_state is the state, its
// dossier_code the code (every entry carries the code as it then was; the
// receipt's payload carries it too), the last forward's payload "to_unit"
// the competent unit (no forward: the log does not say it), and the number of
// entries the version. The body's applicant, fees and papers are in no entry:
// the last entry's body_sha256, when it has one, covers the whole body.
struct RowFacts {
  std::string code;  // the row's columns ("" before receipt)
  std::string state;
  std::string competent_unit;
  std::int64_t version = 0;
  // The same as the stored body says them; body_read false: it could not be
  // read, for the reason body_error_* says.
  bool body_read = true;
  std::string body_error_en;
  std::string body_error_vi;
  std::string body_code;
  std::string body_state;
  std::string body_competent_unit;
  std::string body_sha256;  // of the stored body text, as read
};

struct RowMismatch {
  std::string field;   // "state", "body.state", "code", "body.code", "competent_unit",
                       // "body.competent_unit", "version", "body", "body.sha256"
  std::string stored;  // what the row says
  std::string logged;  // what the log determines
  std::string message_en;
  std::string message_vi;
};

// Every field of `row` that disagrees with `events` (a whole chain, from its
// first entry, that verify_chain accepted); none for an empty chain.
std::vector<RowMismatch> check_row(const RowFacts& row, std::span<const Event> events);

// --- The receipt numbers of one agency and day (audit verify) ---
//
// Codes are {agency}-{yymmdd}-{number}, numbered 1, 2, 3, ... per agency and
// day by a counter that a failed receipt gives back (dossier_code.hpp): the
// numbers present run 1..N without a gap and the counter stands at N.

// Splits a code into agency, yymmdd and number; false if it is not one.
bool split_dossier_code(std::string_view code, std::string& agency, std::string& day,
                        std::int64_t& number);

struct CodeRunFault {
  std::string agency_code;
  std::string day;                    // yymmdd
  std::int64_t counter = 0;           // the stored counter (0: none)
  std::int64_t highest = 0;           // the highest number present (0: none)
  std::int64_t missing_count = 0;     // numbers in 1..max(counter, highest) with no dossier
  std::vector<std::int64_t> missing;  // the first kMaxListed of them, ascending
  std::string message_en;
  std::string message_vi;
};

inline constexpr std::size_t kMaxListedMissing = 20;

// `numbers`: the numbers of the codes present for (agency, day), any order;
// `counter`: the counter's value (0 when it has no row). Nothing when they
// run 1..counter exactly.
std::optional<CodeRunFault> check_code_run(std::string_view agency_code, std::string_view day,
                                           std::vector<std::int64_t> numbers, std::int64_t counter);

}  // namespace motcua::dossier
