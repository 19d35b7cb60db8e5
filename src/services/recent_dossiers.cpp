#include "services/recent_dossiers.hpp"

namespace motcua::services {

std::optional<store::DossierRecord> RecentDossiers::at(const std::string& ref,
                                                       std::int64_t version) const {
  std::shared_ptr<const store::DossierRecord> hit;
  {
    std::lock_guard lock(mutex_);
    auto id = id_of_code_.find(ref);
    auto it = by_id_.find(id == id_of_code_.end() ? ref : id->second);
    if (it == by_id_.end() || it->second.record->version != version) return std::nullopt;
    hit = it->second.record;
  }
  return *hit;  // copied outside the lock
}

void RecentDossiers::put(store::DossierRecord r) {
  if (capacity_ == 0 || r.id.empty() || r.body.size() > max_bytes_ / 16) return;
  r.body.shrink_to_fit();  // a body built by appending keeps its spare room otherwise
  auto record = std::make_shared<const store::DossierRecord>(std::move(r));
  const std::string& id = record->id;
  std::lock_guard lock(mutex_);
  auto& entry = by_id_[id];
  // Answers may arrive out of order: an older version never replaces a newer.
  if (entry.record && entry.record->version >= record->version) return;
  entry.stamp = ++next_stamp_;
  order_.emplace_back(id, entry.stamp);
  if (!record->code.empty()) id_of_code_[record->code] = id;
  if (entry.record) bytes_ -= entry.record->body.size();
  bytes_ += record->body.size();
  entry.record = std::move(record);
  // Each put leaves a mark in order_; only a dossier's latest mark evicts it.
  while (by_id_.size() > capacity_ || bytes_ > max_bytes_) {
    auto [oldest, stamp] = order_.front();
    order_.pop_front();
    auto old = by_id_.find(oldest);
    if (old == by_id_.end() || old->second.stamp != stamp) continue;
    if (!old->second.record->code.empty()) id_of_code_.erase(old->second.record->code);
    bytes_ -= old->second.record->body.size();
    by_id_.erase(old);
  }
  // A dossier changed many times leaves many stale marks: drop them now and
  // then, so order_ stays within a few times the capacity.
  if (order_.size() > 2 * capacity_ + 16) {
    std::erase_if(order_, [&](const auto& mark) {
      auto it = by_id_.find(mark.first);
      return it == by_id_.end() || it->second.stamp != mark.second;
    });
  }
}

std::size_t RecentDossiers::size() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

std::size_t RecentDossiers::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace motcua::services
