#include "domain/dossier/event_chain.hpp"

#include <algorithm>

#include "common/sha256.hpp"
#include "common/json_text.hpp"

namespace motcua::dossier {
namespace {

ChainVerdict fault_at(ChainFault fault, std::size_t index, std::int64_t seq, std::string en,
                      std::string vi) {
  return ChainVerdict{fault, index, seq, std::move(en), std::move(vi)};
}

std::string entry_en(std::size_t index, std::int64_t seq) {
  return "entry " + std::to_string(index + 1) + " (seq " + std::to_string(seq) + ")";
}
std::string entry_vi(std::size_t index, std::int64_t seq) {
  return "bản ghi thứ " + std::to_string(index + 1) + " (seq " + std::to_string(seq) + ")";
}

}  // namespace

std::string canonical_event(const Event& e) {
  // One writer for the whole text, the actor nested in it: the simulator
  // hashes some six events per dossier, and a second string for the actor
  // was a fair share of that.
  JsonWriter w(192 + e.payload_json.size() + e.note.size());
  w.begin_object()
      .member("v", 1)
      .member("seq", e.seq)
      .member("dossier_id", e.dossier_id)
      .member("dossier_code", e.dossier_code)
      .member("at", e.at.epoch_seconds)
      .key("actor")
      .begin_object()
      .member("user_id", e.actor_user_id)
      .member("role", e.actor_role)
      .member("unit", e.actor_unit)
      .end_object()
      .member("action", e.action)
      .member("from", e.from_state)
      .member("to", e.to_state)
      .member("note", e.note)
      .key("payload")
      .str(e.payload_json)
      .end_object();
  return w.take();
}

std::string event_hash(std::string_view prev_hash, const Event& e) {
  return to_hex(sha256({prev_hash, canonical_event(e)}));
}

ChainHead append_event(Event& e, const ChainHead& head) {
  e.seq = head.seq + 1;
  e.prev_hash = head.hash;
  e.hash = event_hash(e.prev_hash, e);
  return ChainHead{e.seq, e.hash};
}

void link_stored_chain(std::span<Event> events) {
  std::string_view prev = kGenesisHash;
  for (auto& e : events) {
    e.prev_hash = prev;
    prev = e.hash;
  }
}

const char* chain_fault_name(ChainFault f) {
  switch (f) {
    case ChainFault::kNone:
      return "ok";
    case ChainFault::kEdited:
      return "edited";
    case ChainFault::kBrokenLink:
      return "broken_link";
    case ChainFault::kMissing:
      return "missing";
    case ChainFault::kOutOfOrder:
      return "out_of_order";
    case ChainFault::kHeadMismatch:
      return "head_mismatch";
  }
  return "unknown";
}

ChainVerdict verify_chain(std::span<const Event> events, const ChainHead& start,
                          const std::optional<ChainHead>& expected_head) {
  ChainHead prev = start;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    const std::int64_t expected = prev.seq + 1;
    if (e.seq > expected) {
      // A later entry with the expected seq means the order changed; none, a deletion.
      const bool later =
          std::any_of(events.begin() + static_cast<std::ptrdiff_t>(i) + 1, events.end(),
                      [&](const Event& x) { return x.seq == expected; });
      if (later) {
        return fault_at(ChainFault::kOutOfOrder, i, e.seq,
                        entry_en(i, e.seq) + " comes before seq " + std::to_string(expected) +
                            ": the log was reordered.",
                        entry_vi(i, e.seq) + " đứng trước seq " + std::to_string(expected) +
                            ": nhật ký đã bị đảo thứ tự.");
      }
      return fault_at(ChainFault::kMissing, i, e.seq,
                      entry_en(i, e.seq) + " follows seq " + std::to_string(prev.seq) +
                          ": entries were deleted before it.",
                      entry_vi(i, e.seq) + " nằm sau seq " + std::to_string(prev.seq) +
                          ": có bản ghi đã bị xoá trước nó.");
    }
    if (e.seq < expected) {
      return fault_at(ChainFault::kOutOfOrder, i, e.seq,
                      entry_en(i, e.seq) + " repeats or goes back after seq " +
                          std::to_string(prev.seq) + ": an entry was inserted or moved.",
                      entry_vi(i, e.seq) + " lặp lại hoặc lùi lại sau seq " +
                          std::to_string(prev.seq) + ": có bản ghi bị chèn hoặc di chuyển.");
    }
    if (e.prev_hash != prev.hash) {
      return fault_at(ChainFault::kBrokenLink, i, e.seq,
                      entry_en(i, e.seq) +
                          " does not link to the entry before it: that entry was replaced or "
                          "this one inserted.",
                      entry_vi(i, e.seq) +
                          " không nối với bản ghi trước nó: bản ghi trước đã bị thay hoặc bản "
                          "ghi này bị chèn.");
    }
    if (event_hash(e.prev_hash, e) != e.hash) {
      return fault_at(ChainFault::kEdited, i, e.seq,
                      entry_en(i, e.seq) + " was changed after it was written.",
                      entry_vi(i, e.seq) + " đã bị sửa sau khi ghi.");
    }
    prev = ChainHead{e.seq, e.hash};
  }
  if (expected_head && (expected_head->seq != prev.seq || expected_head->hash != prev.hash)) {
    return fault_at(
        ChainFault::kHeadMismatch, events.size(), prev.seq,
        "The log ends at seq " + std::to_string(prev.seq) +
            ", not at the recorded "
            "head seq " +
            std::to_string(expected_head->seq) + " with its hash: its end was cut or rewritten.",
        "Nhật ký kết thúc ở seq " + std::to_string(prev.seq) +
            ", không phải đầu chuỗi đã ghi nhận seq " + std::to_string(expected_head->seq) +
            ": phần cuối đã bị cắt hoặc viết lại.");
  }
  return ChainVerdict{};
}

}  // namespace motcua::dossier
