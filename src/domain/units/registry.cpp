#include "domain/units/registry.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "text/fold.hpp"

namespace motcua::units {
namespace {

// "9999-12-31" stands for "now" in date comparisons: after every start date,
// before no end date.
constexpr const char* kNow = "9999-12-31";

std::string effective_date(std::string_view date) {
  return date.empty() ? kNow : std::string(date);
}

// Cursor of a search page: the (code, level) of the last unit returned.
std::string cursor_of(const UnitVersion& v) {
  return v.code + "." + std::to_string(static_cast<int>(v.level));
}

bool key_less(const UnitVersion& v, std::string_view code, int level) {
  return std::tuple(std::string_view(v.code), static_cast<int>(v.level)) < std::tuple(code, level);
}

// How addresses shorten a unit's type ("P. Bến Nghé", "TP. Thủ Đức"): the
// type words each stands for.
struct TypeAbbreviation {
  std::string_view short_form;
  std::array<std::string_view, 2> words;  // the second empty for one word
};
constexpr TypeAbbreviation kTypeAbbreviations[] = {
    {"p", {"phuong", ""}},   {"x", {"xa", ""}},        {"q", {"quan", ""}},   {"h", {"huyen", ""}},
    {"tt", {"thi", "tran"}}, {"tp", {"thanh", "pho"}}, {"tx", {"thi", "xa"}},
};

// A query word matches a name word it begins, a type word it equals, or the
// type words its abbreviation stands for.
bool matches_a_token(const std::vector<std::string>& toks, std::size_t type_from,
                     std::string_view word) {
  const auto is_type_word = [&](std::string_view w) {
    return w.empty() || std::find(toks.begin() + static_cast<std::ptrdiff_t>(type_from), toks.end(),
                                  w) != toks.end();
  };
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const std::string_view t = toks[i];
    if (i < type_from ? t.starts_with(word) : t == word) return true;
  }
  for (const auto& a : kTypeAbbreviations) {
    if (a.short_form == word) return is_type_word(a.words[0]) && is_type_word(a.words[1]);
  }
  return false;
}

// Whether `v` is of the query's level and province, in force at `date`, and
// answers its words (`q_tokens`, folded) by the search's rule.
bool selected(const UnitVersion& v, const std::vector<std::string>& name_tokens,
              std::size_t type_from, const UnitQuery& query, const std::string& date,
              const std::vector<std::string_view>& q_tokens) {
  if (query.level && v.level != *query.level) return false;
  if (!v.in_force_at(date)) return false;
  if (!query.province.empty()) {
    const auto& pc = v.level == Level::kProvince ? v.code : v.province_code;
    if (pc != query.province) return false;
  }
  for (auto t : q_tokens) {
    if (!matches_a_token(name_tokens, type_from, text::number_by_value(t))) return false;
  }
  return true;
}

// How well a name answers the query's words: 0 it is the name or the full name
// ("An Hội", "Phường An Hội"), 1 one of them begins with the words (An Hội
// Tây), 2 the words are only found in it (Hội An).
int relevance(std::string_view folded_name, std::string_view folded_full,
              const std::vector<std::string_view>& q_tokens) {
  int best = 2;
  for (auto name : {folded_name, folded_full}) {
    const auto toks = text::tokens(name);
    if (q_tokens.empty() || toks.size() < q_tokens.size()) continue;
    bool begins = true;
    for (std::size_t i = 0; i < q_tokens.size() && begins; ++i) {
      const auto t = text::number_by_value(toks[i]);
      const auto q = text::number_by_value(q_tokens[i]);
      begins = i + 1 < q_tokens.size() ? t == q : t.starts_with(q);
    }
    if (!begins) continue;
    const bool whole = toks.size() == q_tokens.size() &&
                       text::number_by_value(toks.back()) == text::number_by_value(q_tokens.back());
    best = std::min(best, whole ? 0 : 1);
  }
  return best;
}

// Names were imported with stray spaces ("Xã Bình Thanh "): a name is shown
// and compared without them.
void trim(std::string& s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t end = s.size();
  while (end > 0 && space(s[end - 1])) --end;
  std::size_t begin = 0;
  while (begin < end && space(s[begin])) ++begin;
  s = s.substr(begin, end - begin);
}

}  // namespace

Registry::Registry(ReferenceData data)
    : versions_(std::move(data.versions)), successions_(std::move(data.successions)) {
  for (auto& v : versions_) {
    for (auto* name : {&v.name, &v.full_name, &v.name_en, &v.full_name_en}) trim(*name);
  }
  std::stable_sort(versions_.begin(), versions_.end(),
                   [](const UnitVersion& a, const UnitVersion& b) {
                     // An empty valid_from is the oldest.
                     return std::tuple(std::string_view(a.code), static_cast<int>(a.level),
                                       std::string_view(a.valid_from)) <
                            std::tuple(std::string_view(b.code), static_cast<int>(b.level),
                                       std::string_view(b.valid_from));
                   });
  folded_name_.reserve(versions_.size());
  folded_full_name_.reserve(versions_.size());
  name_tokens_.reserve(versions_.size());
  type_from_.reserve(versions_.size());
  for (const auto& v : versions_) {
    folded_name_.push_back(text::fold(v.name));
    folded_full_name_.push_back(text::fold(v.full_name));
    std::vector<std::string> toks;
    std::size_t type_from = 0;
    for (const auto* s : {&folded_name_.back(), &folded_full_name_.back()}) {
      for (auto t : text::tokens(*s)) {
        t = text::number_by_value(t);  // as the query's below
        if (std::find(toks.begin(), toks.end(), t) == toks.end()) toks.emplace_back(t);
      }
      if (s == &folded_name_.back()) type_from = toks.size();
    }
    name_tokens_.push_back(std::move(toks));
    type_from_.push_back(type_from);
  }
  for (std::size_t i = 0; i < successions_.size(); ++i) {
    const auto& s = successions_[i];
    if (!s.old_commune_code.empty()) {
      by_old_commune_[s.old_commune_code].push_back(i);
    } else {
      by_old_district_[s.old_district_code].push_back(i);
    }
    by_new_commune_[s.new_commune_code].push_back(i);
  }
  build_district_successors();
  build_province_successors();
}

void Registry::build_province_successors() {
  // old province -> new province -> (its name, when)
  std::map<std::string, std::map<std::string, std::pair<std::string, std::string>>> into;
  for (const auto& s : successions_) {
    if (s.old_province_code.empty() || s.new_province_code.empty()) continue;
    auto& when = into[s.old_province_code][s.new_province_code];
    if (when.first.empty()) when = {s.new_province_name, s.effective};
    when.second = std::max(when.second, s.effective);
  }
  std::size_t made = 0;
  for (const auto& [old, news] : into) made += news.size();
  province_rows_.reserve(made);  // pointers into it stay valid
  for (const auto& [old, news] : into) {
    const bool divided = news.size() > 1;
    for (const auto& [code, when] : news) {
      Succession s;
      s.old_province_code = old;
      if (const UnitVersion* v = at(old, "2025-01-01"); v != nullptr && is_old_unit(*v)) {
        s.old_province_name = v->full_name;
      }
      s.new_province_code = code;
      s.new_province_name = when.first;
      s.new_commune_code = code;  // what a successor names: here the province
      s.new_commune_name = when.first;
      s.kind = divided ? "partial" : "whole";
      s.note = divided ? "Nhập một phần" : "Nhập toàn bộ";  // as predecessors() words it
      s.effective = when.second;
      province_rows_.push_back(std::move(s));
      province_successors_[old].push_back(&province_rows_.back());
    }
  }
}

void Registry::build_district_successors() {
  // district -> new commune -> the district's rows into it, in table order
  std::map<std::string, std::map<std::string, std::vector<const Succession*>>> by_district;
  for (const auto& s : successions_) {
    if (!s.old_district_code.empty()) {
      by_district[s.old_district_code][s.new_commune_code].push_back(&s);
    }
  }
  std::size_t made = 0;
  for (const auto& [district, into] : by_district) {
    if (into.size() > 1 || into.begin()->second.size() > 1) made += into.size();
  }
  district_rows_.reserve(made);  // pointers into it stay valid
  for (const auto& [district, into] : by_district) {
    auto& out = district_successors_[district];
    const bool divided = into.size() > 1;
    for (const auto& [new_code, rows] : into) {
      if (!divided && rows.size() == 1) {
        out.push_back(rows.front());  // Bạch Long Vĩ: the table's own row
        continue;
      }
      const Succession& first = *rows.front();
      Succession s;
      s.old_province_code = first.old_province_code;
      s.old_province_name = first.old_province_name;
      s.old_district_code = first.old_district_code;
      s.old_district_name = first.old_district_name;
      s.new_province_code = first.new_province_code;
      s.new_province_name = first.new_province_name;
      s.new_commune_code = first.new_commune_code;
      s.new_commune_name = first.new_commune_name;
      s.kind = divided ? "partial" : "whole";
      s.effective = first.effective;
      // "Nhận một phần Quận 1: Phường Bến Nghé, Phường Đa Kao (một phần)"
      s.note = divided ? "Nhận một phần " : "Nhận toàn bộ ";
      s.note += first.old_district_name;
      std::string names;
      for (const Succession* r : rows) {
        if (r->old_commune_name.empty()) continue;
        if (!names.empty()) names += ", ";
        names += r->old_commune_name;
        if (r->kind == "partial") names += " (một phần)";
      }
      if (!names.empty()) s.note += ": " + names;
      district_rows_.push_back(std::move(s));
      out.push_back(&district_rows_.back());
    }
  }
}

std::vector<const UnitVersion*> Registry::versions(std::string_view code) const {
  auto lo = std::lower_bound(versions_.begin(), versions_.end(), code,
                             [](const UnitVersion& v, std::string_view c) { return v.code < c; });
  std::vector<const UnitVersion*> out;
  for (auto it = lo; it != versions_.end() && it->code == code; ++it) out.push_back(&*it);
  std::stable_sort(out.begin(), out.end(), [](const UnitVersion* a, const UnitVersion* b) {
    return a->valid_from < b->valid_from;
  });
  return out;
}

const UnitVersion* Registry::at(std::string_view code, std::string_view date) const {
  const std::string d = effective_date(date);
  auto lo = std::lower_bound(versions_.begin(), versions_.end(), code,
                             [](const UnitVersion& v, std::string_view c) { return v.code < c; });
  for (auto it = lo; it != versions_.end() && it->code == code; ++it) {
    if (it->in_force_at(d)) return &*it;
  }
  return nullptr;
}

UnitPage Registry::search(const UnitQuery& query) const {
  if (!text::tokens(text::fold(query.q)).empty()) return search_by_relevance(query);
  const std::string date = effective_date(query.at);
  const std::size_t limit = query.limit == 0 ? 50 : query.limit;

  auto begin = versions_.begin();
  if (!query.after.empty()) {
    // The cursor is "<code>.<level>"; anything unparsable starts after its text.
    const auto dot = query.after.rfind('.');
    std::string_view code = query.after;
    int level = 3;  // past every level of that code
    if (dot != std::string::npos && dot + 2 == query.after.size() && query.after[dot + 1] >= '0' &&
        query.after[dot + 1] <= '2') {
      code = std::string_view(query.after).substr(0, dot);
      level = query.after[dot + 1] - '0';
    }
    begin = std::lower_bound(versions_.begin(), versions_.end(), std::pair{code, level + 1},
                             [](const UnitVersion& v, const std::pair<std::string_view, int>& k) {
                               return key_less(v, k.first, k.second);
                             });
  }

  UnitPage page;
  for (auto it = begin; it != versions_.end(); ++it) {
    const auto i = static_cast<std::size_t>(it - versions_.begin());
    if (!selected(*it, name_tokens_[i], type_from_[i], query, date, {})) continue;
    if (page.items.size() == limit) {
      page.next_cursor = cursor_of(*page.items.back());
      break;
    }
    page.items.push_back(&*it);
  }
  return page;
}

UnitPage Registry::search_by_relevance(const UnitQuery& query) const {
  const std::string date = effective_date(query.at);
  const std::size_t limit = query.limit == 0 ? 50 : query.limit;
  const std::string folded_q = text::fold(query.q);
  const auto q_tokens = text::tokens(folded_q);

  // The cursor is "<relevance>:<code>.<level>" of the last unit shown; one
  // without a relevance (a plain listing's) counts as 0.
  int after_rank = -1;
  std::string_view after = query.after;
  if (!after.empty()) {
    after_rank = 0;
    if (after.size() > 2 && after[1] == ':' && after[0] >= '0' && after[0] <= '2') {
      after_rank = after[0] - '0';
      after.remove_prefix(2);
    }
  }
  const auto dot = after.rfind('.');
  const bool has_level = dot != std::string_view::npos && dot + 2 == after.size() &&
                         after[dot + 1] >= '0' && after[dot + 1] <= '2';
  const std::string_view after_code = has_level ? after.substr(0, dot) : after;
  const int after_level = has_level ? after[dot + 1] - '0' : 3;

  // Every match is ranked, so the whole registry is read; a unit's place is
  // (relevance, code, level), which the cursor names.
  std::vector<std::pair<int, std::size_t>> found;
  for (std::size_t i = 0; i < versions_.size(); ++i) {
    const UnitVersion& v = versions_[i];
    if (!selected(v, name_tokens_[i], type_from_[i], query, date, q_tokens)) continue;
    const int rank = relevance(folded_name_[i], folded_full_name_[i], q_tokens);
    if (after_rank >= 0 && std::tuple(rank, std::string_view(v.code), static_cast<int>(v.level)) <=
                               std::tuple(after_rank, after_code, after_level)) {
      continue;
    }
    found.emplace_back(rank, i);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  UnitPage page;
  for (std::size_t k = 0; k < found.size(); ++k) {
    if (page.items.size() == limit) {
      const auto& [rank, i] = found[k - 1];
      page.next_cursor = std::to_string(rank) + ":" + cursor_of(versions_[i]);
      break;
    }
    page.items.push_back(&versions_[found[k].second]);
  }
  return page;
}

std::vector<Predecessor> Registry::predecessors(std::string_view new_code,
                                                std::string_view at_date) const {
  std::vector<Predecessor> out;
  const UnitVersion* unit = at(new_code, at_date);
  if (unit == nullptr || is_old_unit(*unit)) return out;
  const std::string date = effective_date(at_date);

  if (unit->level == Level::kCommune) {
    for (const Succession* s : successions_into(new_code)) {
      if (s->effective > date) continue;
      Predecessor p;
      const bool whole_district = s->old_commune_code.empty();
      p.old_code = whole_district ? s->old_district_code : s->old_commune_code;
      p.old_name = s->old_commune_name.empty() ? s->old_district_name : s->old_commune_name;
      p.old_level = whole_district ? "district" : "commune";
      p.old_district_code = s->old_district_code;
      p.old_district_name = s->old_district_name;
      p.old_province_code = s->old_province_code;
      p.old_province_name = s->old_province_name;
      p.kind = s->kind;
      p.note = s->note;
      p.effective = s->effective;
      out.push_back(std::move(p));
    }
    return out;
  }

  if (unit->level == Level::kProvince) {
    // old province -> (went anywhere else?, effective)
    std::map<std::string, std::pair<bool, std::string>> old_provinces;
    for (const auto& s : successions_) {
      if (s.new_province_code == new_code && s.effective <= date) {
        old_provinces.emplace(s.old_province_code, std::pair{false, s.effective});
      }
    }
    for (const auto& s : successions_) {
      auto it = old_provinces.find(s.old_province_code);
      if (it != old_provinces.end() && s.new_province_code != new_code) it->second.first = true;
    }
    for (const auto& [code, info] : old_provinces) {
      Predecessor p;
      p.old_code = code;
      p.old_level = "province";
      p.old_province_code = code;
      if (const UnitVersion* old = at(code, "2025-01-01"); old != nullptr && is_old_unit(*old)) {
        p.old_name = old->full_name;
        p.old_province_name = old->full_name;
      }
      p.kind = info.first ? "partial" : "whole";
      p.note = info.first ? "Nhập một phần" : "Nhập toàn bộ";
      p.effective = info.second;
      out.push_back(std::move(p));
    }
  }
  return out;
}

namespace {

std::vector<const Succession*> rows(
    const std::vector<Succession>& all,
    const std::unordered_map<std::string, std::vector<std::size_t>>& index, std::string_view key) {
  std::vector<const Succession*> out;
  auto it = index.find(std::string(key));
  if (it == index.end()) return out;
  out.reserve(it->second.size());
  for (auto i : it->second) out.push_back(&all[i]);
  return out;
}

}  // namespace

std::vector<const Succession*> Registry::successors(std::string_view old_commune_code) const {
  return rows(successions_, by_old_commune_, old_commune_code);
}

std::vector<const Succession*> Registry::province_successors(
    std::string_view old_province_code) const {
  auto it = province_successors_.find(std::string(old_province_code));
  if (it == province_successors_.end()) return {};
  return it->second;
}

std::vector<const Succession*> Registry::successions_into(std::string_view new_commune_code) const {
  return rows(successions_, by_new_commune_, new_commune_code);
}

std::vector<const Succession*> Registry::district_successions(
    std::string_view old_district_code) const {
  return rows(successions_, by_old_district_, old_district_code);
}

std::vector<const Succession*> Registry::district_successors(
    std::string_view old_district_code) const {
  auto it = district_successors_.find(std::string(old_district_code));
  if (it == district_successors_.end()) return {};
  return it->second;
}

std::size_t Registry::index_of(const UnitVersion& v) const {
  const std::less<const UnitVersion*> less;
  if (less(&v, versions_.data()) || !less(&v, versions_.data() + versions_.size())) {
    throw std::logic_error("Registry: the version does not belong to this registry");
  }
  return static_cast<std::size_t>(&v - versions_.data());
}

const std::string& Registry::folded_name(const UnitVersion& v) const {
  return folded_name_[index_of(v)];
}

const std::string& Registry::folded_full_name(const UnitVersion& v) const {
  return folded_full_name_[index_of(v)];
}

}  // namespace motcua::units
