// The hash-chained event log: one exact canonical text and hash per event,
// and verify_chain naming the first bad entry when an event is edited,
// deleted, reordered or inserted, or the tail is cut.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/json_text.hpp"
#include "common/sha256.hpp"
#include "domain/dossier/event_chain.hpp"

namespace motcua::dossier {
namespace {

Event sample() {
  Event e;
  e.dossier_id = "d-1";
  e.dossier_code = "H29.01.05-250701-0001";
  e.at = calendar::Instant{1751333400};
  e.actor_user_id = "u-1";
  e.actor_role = "receiving_officer";
  e.actor_unit = "00004";
  e.action = "receive";
  e.from_state = "submitted";
  e.to_state = "received";
  e.note = "Đủ hồ sơ \"OK\"\n";
  e.payload_json = R"({"code":"H29.01.05-250701-0001"})";
  return e;
}

// Five events of one dossier, chained from the genesis.
std::vector<Event> chain_of_five(ChainHead* head_out = nullptr) {
  const char* steps[][3] = {{"submit", "draft", "submitted"},
                            {"receive", "submitted", "received"},
                            {"assign", "received", "in_progress"},
                            {"propose", "in_progress", "proposed"},
                            {"approve", "proposed", "approved"}};
  std::vector<Event> events;
  ChainHead head;
  for (int i = 0; i < 5; ++i) {
    Event e = sample();
    e.at = calendar::Instant{1751333400 + i * 600};
    e.action = steps[i][0];
    e.from_state = steps[i][1];
    e.to_state = steps[i][2];
    e.note = "bước " + std::to_string(i + 1);
    head = append_event(e, head, std::nullopt);
    events.push_back(e);
  }
  if (head_out) *head_out = head;
  return events;
}

TEST(JsonTextTest, EscapesOnlyQuotesBackslashesAndControls) {
  EXPECT_EQ(json_quote("Hà Nội"), "\"Hà Nội\"");
  EXPECT_EQ(json_quote("a\"b\\c\nd\te\x01"), "\"a\\\"b\\\\c\\u000ad\\u0009e\\u0001\"");
  EXPECT_EQ(JsonObjectText().add("a", 1).add("b", "x").add("c", true).str(),
            R"({"a":1,"b":"x","c":true})");
  EXPECT_EQ(
      JsonObjectText().add("l", std::vector<std::string>{"x", "y\""}).add_raw("o", "{}").str(),
      R"({"l":["x","y\""],"o":{}})");
  EXPECT_EQ(JsonObjectText().str(), "{}");
}

TEST(JsonTextTest, EveryByteThatNeedsAnEscapeIsFoundWhereverItStands) {
  // Texts are scanned eight bytes at a time: put each byte that needs an
  // escape, and its neighbours that do not, at every place of texts of
  // every length around a word, beside multi-byte UTF-8 (high bytes); and
  // around 120 bytes, where a text stops being quoted in one piece.
  auto slow = [](std::string_view text) {
    std::string out = "\"";
    for (const unsigned char c : text) {
      char buf[8];
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  const std::string filler = "ệ Hà Nội!#[]{}~\x7f\xff";
  int checked = 0;
  for (const int special : {0, 1, 0x1f, 0x20, int{'"'}, int{'\\'}, int{'!'}, int{'#'}, 0x7f, 0x80, 0xc3, 0xff}) {
    for (std::size_t size = 1; size <= 125; size = size == 25 ? 117 : size + 1) {
      for (std::size_t at = 0; at < size; ++at) {
        std::string text;
        for (std::size_t i = 0; i < size; ++i) text += filler[i % filler.size()];
        text[at] = static_cast<char>(special);
        ASSERT_EQ(json_quote(text), slow(text)) << "byte " << special << " at " << at;
        JsonWriter w;
        w.begin_object().member(text, text).end_object();
        ASSERT_EQ(w.text(), "{" + slow(text) + ":" + slow(text) + "}");
        ++checked;
      }
    }
  }
  std::size_t places = 25 * 26 / 2;  // sizes 1..25
  for (std::size_t size = 117; size <= 125; ++size) places += size;
  EXPECT_EQ(checked, static_cast<int>(12 * places));
  EXPECT_EQ(json_quote(""), "\"\"");
}

TEST(JsonTextTest, ShortTextsBesideAPageBoundaryAreReadRight) {
  // A short text is read sixteen bytes at once unless that would cross into
  // the next 4 KB page: place texts so they end at a page's end and start
  // just after one, with and without a byte to escape.
  constexpr std::size_t kPage = 4096;
  char* pages = static_cast<char*>(std::aligned_alloc(kPage, 2 * kPage));
  ASSERT_NE(pages, nullptr);
  std::memset(pages, '"', 2 * kPage);  // every byte around the texts needs an escape
  int checked = 0;
  for (std::size_t size = 0; size <= 17; ++size) {
    for (const std::size_t at : {kPage - size, kPage, kPage - 16, kPage - 15}) {
      for (const bool with_quote : {false, true}) {
        char* p = pages + at;
        for (std::size_t i = 0; i < size; ++i) p[i] = static_cast<char>('a' + i);
        if (with_quote && size > 0) p[size / 2] = '"';
        const std::string_view text(p, size);
        std::string expected = "\"";
        for (const char c : text) expected += c == '"' ? std::string("\\\"") : std::string(1, c);
        expected += "\"";
        EXPECT_EQ(json_quote(text), expected) << size << " at " << at;
        JsonWriter w;
        w.begin_array().str(text).end_array();
        EXPECT_EQ(w.text(), "[" + expected + "]") << size << " at " << at;
        std::memset(p, '"', size);
        ++checked;
      }
    }
  }
  std::free(pages);
  EXPECT_EQ(checked, 18 * 4 * 2);
}

TEST(JsonTextTest, RealNumbersAreShortestAndNullWhenAbsentOrNotFinite) {
  JsonWriter w;
  w.begin_object()
      .member("a", 0.7)
      .member("b", 18.0)
      .member("c", std::optional<double>())
      .member("d", std::optional<double>(0.1234))
      .member("e", std::nan(""))
      .end_object();
  EXPECT_EQ(w.text(), R"({"a":0.7,"b":18,"c":null,"d":0.1234,"e":null})");
}

TEST(EventChainTest, CanonicalTextAndHashArePinned) {
  Event e = sample();
  const ChainHead head = append_event(e, ChainHead{}, std::nullopt);
  EXPECT_EQ(e.seq, 1);
  EXPECT_EQ(e.prev_hash, kGenesisHash);
  EXPECT_EQ(canonical_event(e),
            R"({"v":1,"seq":1,"dossier_id":"d-1","dossier_code":"H29.01.05-250701-0001",)"
            R"("at":1751333400,"actor":{"user_id":"u-1","role":"receiving_officer",)"
            R"("unit":"00004"},"action":"receive","from":"submitted","to":"received",)"
            R"("note":"Đủ hồ sơ \"OK\"\u000a","payload":"{\"code\":\"H29.01.05-250701-0001\"}"})");
  // SHA-256 of 64 zeros followed by the text above.
  EXPECT_EQ(e.hash, "e986b796ddc30eb03daf3ca470f64e99952f83625cdfaf88485dea3e6ec436fd");
  EXPECT_EQ(head.seq, 1);
  EXPECT_EQ(head.hash, e.hash);
}

// An entry that seals its dossier's body: "v":2 and the body's digest, last.
TEST(EventChainTest, ASealedEntryCarriesItsBodysDigest) {
  Event e = sample();
  const std::string body = R"({"applicant":{"name":"Nguyễn Văn A"}})";
  append_event(e, ChainHead{}, body);
  EXPECT_EQ(e.body_sha256, sha256_hex(body));
  const std::string text = canonical_event(e);
  EXPECT_EQ(text.rfind(R"({"v":2,"seq":1,)", 0), 0u) << text;
  EXPECT_NE(text.find(R"(,"body_sha256":")" + e.body_sha256 + R"("})"), std::string::npos) << text;
  EXPECT_EQ(e.hash, event_hash(kGenesisHash, e));
  // The digest is part of what the entry's hash covers: edited, the entry is named.
  std::vector<Event> one{e};
  EXPECT_TRUE(verify_chain(one).ok());
  one[0].body_sha256 = sha256_hex(R"({"applicant":{"name":"Nguyễn Văn B"}})");
  EXPECT_EQ(verify_chain(one).fault, ChainFault::kEdited);
  // Dropped (as if the entry had never sealed): the "v":1 text no longer matches either.
  one[0].body_sha256.clear();
  EXPECT_EQ(verify_chain(one).fault, ChainFault::kEdited);
}

TEST(EventChainTest, AnIntactChainVerifies) {
  ChainHead head;
  const auto events = chain_of_five(&head);
  EXPECT_TRUE(verify_chain(events).ok());
  EXPECT_TRUE(verify_chain(events, ChainHead{}, head).ok());
  EXPECT_TRUE(verify_chain(std::vector<Event>{}).ok());
  // A segment verifies as the continuation of the entry before it.
  const std::span<const Event> tail(events.begin() + 2, events.end());
  EXPECT_TRUE(verify_chain(tail, ChainHead{events[1].seq, events[1].hash}, head).ok());
  EXPECT_FALSE(verify_chain(tail).ok());
}

TEST(EventChainTest, EveryFieldIsCovered) {
  const auto events = chain_of_five();
  const std::vector<void (*)(Event&)> edits = {
      [](Event& e) { e.dossier_id = "d-2"; },
      [](Event& e) { e.dossier_code = "H29.01.05-250701-0002"; },
      [](Event& e) { e.at.epoch_seconds += 1; },
      [](Event& e) { e.actor_user_id = "u-9"; },
      [](Event& e) { e.actor_role = "leader"; },
      [](Event& e) { e.actor_unit = "00007"; },
      [](Event& e) { e.action = "refuse"; },
      [](Event& e) { e.from_state = "draft"; },
      [](Event& e) { e.to_state = "refused"; },
      [](Event& e) { e.note += " "; },
      [](Event& e) { e.payload_json = "{}"; },
  };
  for (std::size_t k = 0; k < edits.size(); ++k) {
    auto copy = events;
    edits[k](copy[2]);
    const ChainVerdict v = verify_chain(copy);
    EXPECT_EQ(v.fault, ChainFault::kEdited) << k;
    EXPECT_EQ(v.index, 2u) << k;
    EXPECT_EQ(v.seq, 3) << k;
  }
}

TEST(EventChainTest, DetectsAnEditedEvent) {
  auto events = chain_of_five();
  events[2].note = "đã sửa";
  const ChainVerdict v = verify_chain(events);
  EXPECT_EQ(v.fault, ChainFault::kEdited);
  EXPECT_EQ(v.index, 2u);
  EXPECT_EQ(v.message_en, "entry 3 (seq 3) was changed after it was written.");
  EXPECT_EQ(v.message_vi, "bản ghi thứ 3 (seq 3) đã bị sửa sau khi ghi.");

  // Edited with its own hash recomputed: the next entry no longer links to it.
  events[2].hash = event_hash(events[2].prev_hash, events[2]);
  const ChainVerdict w = verify_chain(events);
  EXPECT_EQ(w.fault, ChainFault::kBrokenLink);
  EXPECT_EQ(w.index, 3u);
  EXPECT_EQ(w.seq, 4);
}

TEST(EventChainTest, DetectsADeletedEvent) {
  auto events = chain_of_five();
  events.erase(events.begin() + 2);
  const ChainVerdict v = verify_chain(events);
  EXPECT_EQ(v.fault, ChainFault::kMissing);
  EXPECT_EQ(v.index, 2u);
  EXPECT_EQ(v.seq, 4);
  EXPECT_EQ(v.message_en, "entry 3 (seq 4) follows seq 2: entries were deleted before it.");

  // The first event deleted.
  auto no_first = chain_of_five();
  no_first.erase(no_first.begin());
  EXPECT_EQ(verify_chain(no_first).fault, ChainFault::kMissing);
  EXPECT_EQ(verify_chain(no_first).index, 0u);
}

TEST(EventChainTest, DetectsADeletedTailOnlyAgainstTheHead) {
  ChainHead head;
  auto events = chain_of_five(&head);
  events.pop_back();
  EXPECT_TRUE(verify_chain(events).ok());
  const ChainVerdict v = verify_chain(events, ChainHead{}, head);
  EXPECT_EQ(v.fault, ChainFault::kHeadMismatch);
  EXPECT_EQ(v.index, 4u);
  EXPECT_EQ(v.seq, 4);
  // The message says which field of the head differs, stored against the
  // log's, and names no entry (there is no fifth one).
  EXPECT_EQ(v.message_en,
            "head seq differs: the stored head is seq 5, but the log ends at seq 4 (4 entries): "
            "the entries after seq 4 were cut, or the head was raised.");
  EXPECT_EQ(v.message_vi.find("bản ghi thứ"), std::string::npos) << v.message_vi;
  EXPECT_NE(v.message_vi.find("đầu chuỗi đã lưu là seq 5"), std::string::npos) << v.message_vi;
}

TEST(EventChainTest, AHeadWithAnotherHashAtTheSameSeqSaysSo) {
  // Two entries, the stored head at seq 2 with another hash: the message
  // once read "entry 3 (seq 2) ... not at the recorded head seq 2".
  ChainHead head;
  auto events = chain_of_five(&head);
  events.resize(2);
  const ChainHead stored{2, std::string(64, 'b')};
  const ChainVerdict v = verify_chain(events, ChainHead{}, stored);
  EXPECT_EQ(v.fault, ChainFault::kHeadMismatch);
  EXPECT_EQ(v.index, 2u);
  EXPECT_EQ(v.seq, 2);
  EXPECT_EQ(v.message_en, "head hash differs at seq 2: stored " + stored.hash +
                              ", computed from the log " + events[1].hash +
                              ": the log's last entry or the stored head was rewritten.");
  EXPECT_EQ(v.message_en.find("entry 3"), std::string::npos);
  EXPECT_NE(v.message_vi.find("hash của đầu chuỗi khác tại seq 2"), std::string::npos);

  // A head below the log's end: entries were appended after it.
  const ChainVerdict w = verify_chain(events, ChainHead{}, ChainHead{1, events[0].hash});
  EXPECT_EQ(w.fault, ChainFault::kHeadMismatch);
  EXPECT_EQ(w.message_en.rfind("head seq differs: the stored head is seq 1, but the log goes on "
                               "to seq 2 (2 entries)",
                               0),
            0u)
      << w.message_en;
}

// The facts of the row chain_of_five() leads to, as the program writes them.
RowFacts facts_of_five() {
  RowFacts r;
  r.code = r.body_code = "H29.01.05-250701-0001";
  r.state = r.body_state = "approved";
  r.competent_unit = r.body_competent_unit = "00004";
  r.version = 5;
  return r;
}

TEST(EventChainTest, ARowAgreesWithTheLogItsChainEndsAt) {
  const auto events = chain_of_five();
  EXPECT_TRUE(check_row(facts_of_five(), events).empty());
  // Nothing to compare with an empty log.
  EXPECT_TRUE(check_row(RowFacts{}, std::vector<Event>{}).empty());
}

TEST(EventChainTest, ARowStateOtherThanTheLastEntrysIsReported) {
  const auto events = chain_of_five();
  RowFacts row = facts_of_five();
  row.state = "finished";
  auto m = check_row(row, events);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].field, "state");
  EXPECT_EQ(m[0].stored, "finished");
  EXPECT_EQ(m[0].logged, "approved");
  EXPECT_EQ(m[0].message_en,
            "the state column says 'finished', but the log's last entry (seq 5) leads to "
            "'approved': the row was changed outside the program.");
  EXPECT_NE(m[0].message_vi.find("cột state ghi 'finished'"), std::string::npos);

  row.body_state = "finished";
  m = check_row(row, events);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[1].field, "body.state");
}

TEST(EventChainTest, ARowCodeOrVersionOtherThanTheLogsIsReported) {
  const auto events = chain_of_five();
  RowFacts row = facts_of_five();
  row.code = "H29.01.05-250701-0002";
  row.body_code = "";
  row.version = 7;
  const auto m = check_row(row, events);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].field, "code");
  EXPECT_EQ(m[0].logged, "H29.01.05-250701-0001");
  EXPECT_EQ(m[1].field, "version");
  EXPECT_EQ(m[1].message_en,
            "the version column says 7, but the log holds 5 entries (one per change): the row "
            "was changed outside the program.");
  EXPECT_EQ(m[2].field, "body.code");

  RowFacts unreadable = facts_of_five();
  unreadable.body_read = false;
  unreadable.body_error_en = "state: 'finished' is not a state";
  const auto u = check_row(unreadable, events);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].field, "body");
  EXPECT_EQ(u[0].message_en,
            "the stored body cannot be read as a dossier (state: 'finished' is not a state): it "
            "was changed outside the program.");
}

// The row's body against the digest its log's last entry sealed.
TEST(EventChainTest, ABodyEditedOutsideTheProgramDiffersFromItsSeal) {
  auto events = chain_of_five();
  const ChainHead head{events.back().seq, events.back().hash};
  const std::string body = R"({"applicant":{"name":"Nguyễn Văn A"},"fees":[]})";
  Event last = sample();
  last.action = "note";
  last.from_state = last.to_state = "approved";
  append_event(last, head, body);
  events.push_back(last);
  RowFacts row = facts_of_five();
  row.version = 6;
  row.body_sha256 = sha256_hex(body);
  EXPECT_TRUE(check_row(row, events).empty());
  row.body_sha256 = sha256_hex(R"({"applicant":{"name":"Nguyễn Văn B"},"fees":[]})");
  const auto m = check_row(row, events);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].field, "body.sha256");
  EXPECT_EQ(m[0].stored, row.body_sha256);
  EXPECT_EQ(m[0].logged, last.body_sha256);
  EXPECT_EQ(m[0].message_en, "the stored body (applicant, papers, fees, ...) has SHA-256 '" +
                                 row.body_sha256 +
                                 "', but the log's last entry (seq 6) sealed it as '" +
                                 last.body_sha256 + "': the row was changed outside the program.");
  EXPECT_NE(m[0].message_vi.find("niêm phong"), std::string::npos);
  // A last entry written before the digest seals nothing: no check.
  events.pop_back();
  row.version = 5;
  EXPECT_TRUE(check_row(row, events).empty());
}

TEST(EventChainTest, TheCompetentUnitIsTheLastForwardsTarget) {
  auto events = chain_of_five();
  ChainHead head{events.back().seq, events.back().hash};
  // No forward: the log does not say the unit, and any is taken.
  RowFacts row = facts_of_five();
  row.competent_unit = "99999";
  EXPECT_TRUE(check_row(row, events).empty());
  Event forward = sample();
  forward.action = "forward";
  forward.from_state = forward.to_state = "approved";
  forward.payload_json = R"({"from_unit":"00004","to_unit":"00007"})";
  append_event(forward, head, std::nullopt);
  events.push_back(forward);
  row = facts_of_five();
  row.version = 6;
  auto m = check_row(row, events);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].field, "competent_unit");
  EXPECT_EQ(m[0].stored, "00004");
  EXPECT_EQ(m[0].logged, "00007");
  EXPECT_NE(m[0].message_en.find("the last forward in the log (seq 6) sent it to '00007'"),
            std::string::npos)
      << m[0].message_en;
  EXPECT_EQ(m[1].field, "body.competent_unit");
  row.competent_unit = row.body_competent_unit = "00007";
  EXPECT_TRUE(check_row(row, events).empty());
}

TEST(EventChainTest, DossierCodesSplitIntoAgencyDayAndNumber) {
  std::string agency, day;
  std::int64_t n = 0;
  ASSERT_TRUE(split_dossier_code("H29.01.05-250701-0012", agency, day, n));
  EXPECT_EQ(agency, "H29.01.05");
  EXPECT_EQ(day, "250701");
  EXPECT_EQ(n, 12);
  ASSERT_TRUE(split_dossier_code("000.00.12.H29-250701-12345", agency, day, n));
  EXPECT_EQ(n, 12345);
  EXPECT_FALSE(split_dossier_code("", agency, day, n));
  EXPECT_FALSE(split_dossier_code("H29-2507-0001", agency, day, n));
  EXPECT_FALSE(split_dossier_code("H29-250701-", agency, day, n));
  EXPECT_FALSE(split_dossier_code("H29-250701-00x1", agency, day, n));
}

TEST(EventChainTest, AWholeRunOfReceiptNumbersPasses) {
  EXPECT_FALSE(check_code_run("H29", "250701", {3, 1, 2}, 3));
  EXPECT_FALSE(check_code_run("H29", "250701", {}, 0));
}

TEST(EventChainTest, AnErasedReceivedDossierLeavesAGapInItsDaysNumbers) {
  const auto f = check_code_run("H01.000.04", "261207", {1, 2, 4, 5, 7}, 7);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->missing, (std::vector<std::int64_t>{3, 6}));
  EXPECT_EQ(f->missing_count, 2);
  EXPECT_EQ(f->message_en,
            "receipt numbers of agency H01.000.04 on day 261207: the numbers run to 0007 with "
            "gaps; 2 numbers with no dossier: 0003, 0006: received dossiers were erased with "
            "their logs.");
  EXPECT_NE(f->message_vi.find("2 số không có hồ sơ: 0003, 0006"), std::string::npos);
}

TEST(EventChainTest, ACounterAboveTheHighestCodeIsReported) {
  // The last dossier of the day erased: the counter stands above the codes.
  auto f = check_code_run("H29", "250701", {1, 2}, 3);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->missing, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(f->message_en,
            "receipt numbers of agency H29 on day 250701: the counter stands at 3, above the "
            "highest code present (0002); 1 number with no dossier: 0003: received dossiers were "
            "erased with their logs.");
  // Every dossier of the day erased.
  f = check_code_run("H29", "250701", {}, 2);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->missing, (std::vector<std::int64_t>{1, 2}));
  EXPECT_NE(f->message_en.find("above the highest code present (none)"), std::string::npos);
  // A counter below the codes (or none at all): the next receipt takes a code in use.
  f = check_code_run("H29", "250701", {1, 2, 3}, 1);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->missing_count, 0);
  EXPECT_NE(f->message_en.find("the counter stands at 1, below the highest code present, 0003"),
            std::string::npos);
  // Many missing: the first ones listed, the rest counted.
  f = check_code_run("H29", "250701", {1}, 1000);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->missing.size(), kMaxListedMissing);
  EXPECT_EQ(f->missing_count, 999);
  EXPECT_NE(f->message_en.find("0021 and 979 more"), std::string::npos) << f->message_en;
}

TEST(EventChainTest, DetectsReorderedEvents) {
  auto events = chain_of_five();
  std::swap(events[1], events[2]);
  const ChainVerdict v = verify_chain(events);
  EXPECT_EQ(v.fault, ChainFault::kOutOfOrder);
  EXPECT_EQ(v.index, 1u);
  EXPECT_EQ(v.seq, 3);
  EXPECT_EQ(v.message_en, "entry 2 (seq 3) comes before seq 2: the log was reordered.");

  // Renumbered to hide the move: the links break where the order changed.
  events[0].seq = 1;
  std::swap(events[1].seq, events[2].seq);
  const ChainVerdict w = verify_chain(events);
  EXPECT_EQ(w.fault, ChainFault::kBrokenLink);
  EXPECT_EQ(w.index, 1u);
}

TEST(EventChainTest, DetectsInsertedEvents) {
  // A forged event carelessly built: caught at the forgery itself.
  auto events = chain_of_five();
  Event forged = sample();
  forged.seq = 3;
  forged.action = "refuse";
  forged.prev_hash = events[1].hash;
  forged.hash = std::string(64, 'a');
  events.insert(events.begin() + 2, forged);
  ChainVerdict v = verify_chain(events);
  EXPECT_EQ(v.fault, ChainFault::kEdited);
  EXPECT_EQ(v.index, 2u);

  // Correctly hashed onto the entry before it: the entry after it repeats seq 3.
  events[2].hash = event_hash(events[2].prev_hash, events[2]);
  v = verify_chain(events);
  EXPECT_EQ(v.fault, ChainFault::kOutOfOrder);
  EXPECT_EQ(v.index, 3u);
  EXPECT_EQ(v.seq, 3);

  // And with every later seq renumbered: the old entry no longer links.
  for (std::size_t i = 3; i < events.size(); ++i) events[i].seq += 1;
  v = verify_chain(events);
  EXPECT_EQ(v.fault, ChainFault::kBrokenLink);
  EXPECT_EQ(v.index, 3u);

  // Appended at the end with a valid hash: only the recorded head tells.
  ChainHead head;
  auto appended = chain_of_five(&head);
  Event extra = sample();
  append_event(extra, head, std::nullopt);
  appended.push_back(extra);
  EXPECT_TRUE(verify_chain(appended).ok());
  EXPECT_EQ(verify_chain(appended, ChainHead{}, head).fault, ChainFault::kHeadMismatch);
}

TEST(EventChainTest, FaultNamesAreStable) {
  EXPECT_STREQ(chain_fault_name(ChainFault::kNone), "ok");
  EXPECT_STREQ(chain_fault_name(ChainFault::kEdited), "edited");
  EXPECT_STREQ(chain_fault_name(ChainFault::kBrokenLink), "broken_link");
  EXPECT_STREQ(chain_fault_name(ChainFault::kMissing), "missing");
  EXPECT_STREQ(chain_fault_name(ChainFault::kOutOfOrder), "out_of_order");
  EXPECT_STREQ(chain_fault_name(ChainFault::kHeadMismatch), "head_mismatch");
}

}  // namespace
}  // namespace motcua::dossier
