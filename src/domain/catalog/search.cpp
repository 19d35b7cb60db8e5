#include "domain/catalog/search.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "text/fold.hpp"

namespace motcua::catalog {
namespace {

// Weights: a word of the name counts most, then the field or group, then the
// papers of the dossier. A whole-word match beats a prefix.
constexpr int kNameWord = 30;
constexpr int kNamePrefix = 20;
constexpr int kFieldWord = 10;
constexpr int kComponentWord = 3;
constexpr int kCodeMatch = 1000;
constexpr int kPhraseInName = 60;
constexpr int kPhraseEndsName = 15;

// "Thủ tục đăng ký khai sinh": the leading "thu tuc" says nothing.
std::string strip_prefix(std::string folded) {
  constexpr std::string_view kPrefix = "thu tuc ";
  if (std::string_view(folded).starts_with(kPrefix)) folded.erase(0, kPrefix.size());
  return folded;
}

int word_score(std::uint8_t exact, std::uint8_t prefix, std::uint8_t name, std::uint8_t field,
               std::uint8_t component) {
  int s = 0;
  if (exact & name)
    s += kNameWord;
  else if (prefix & name)
    s += kNamePrefix;
  if (prefix & field) s += kFieldWord;
  if (prefix & component) s += kComponentWord;
  return s;
}

// A whole decimal number, nothing else.
template <typename T>
bool whole_number(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::string cursor_text(const SearchCursor& c) {
  return std::to_string(c.score) + "~" + std::to_string(c.name_size) + "~" + c.code;
}

std::optional<SearchCursor> parse_cursor(std::string_view text) {
  const auto a = text.find('~');
  if (a == std::string_view::npos) return std::nullopt;
  const auto b = text.find('~', a + 1);
  if (b == std::string_view::npos || b + 1 == text.size()) return std::nullopt;
  SearchCursor c;
  // A hit scores at least 1 (search() drops the rest).
  if (!whole_number(text.substr(0, a), c.score) || c.score < 1) return std::nullopt;
  if (!whole_number(text.substr(a + 1, b - a - 1), c.name_size)) return std::nullopt;
  c.code = std::string(text.substr(b + 1));
  return c;
}

int SearchIndex::FacetValues::id(std::string_view name) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

SearchIndex::SearchIndex(std::vector<ProcedureVersion> current) : docs_(std::move(current)) {
  std::sort(docs_.begin(), docs_.end(),
            [](const auto& a, const auto& b) { return a.procedure.code < b.procedure.code; });
  std::map<std::string, std::vector<Posting>, std::less<>> vocabulary;
  std::map<std::string, std::uint8_t, std::less<>> doc_words;
  std::string buf;
  auto facet = [](FacetValues& f, const std::string& value) {
    const int id = f.id(value);
    if (id >= 0) return f.of_doc.push_back(static_cast<std::uint32_t>(id));
    f.of_doc.push_back(static_cast<std::uint32_t>(f.names.size()));
    f.names.push_back(value);
  };
  for (std::uint32_t d = 0; d < docs_.size(); ++d) {
    const auto& p = docs_[d].procedure;
    folded_names_.push_back(strip_prefix(text::fold(p.name)));
    folded_codes_.push_back(text::fold(p.code));
    facet(fields_, p.field);
    if (folded_fields_.size() < fields_.names.size()) folded_fields_.push_back(text::fold(p.field));
    facet(levels_, p.competent_level);
    facet(onlines_, p.online_level);
    doc_words.clear();
    auto add = [&](std::string_view s, std::uint8_t where) {
      buf.clear();
      text::fold_append(s, buf);
      for (auto w : text::tokens(buf)) {
        auto it = doc_words.find(w);
        if (it == doc_words.end()) it = doc_words.emplace(std::string(w), 0).first;
        it->second |= where;
      }
    };
    add(p.name, kName);
    add(p.field, kField);
    add(p.group, kField);
    for (const auto& c : p.components) add(c.name, kComponent);
    for (const auto& [w, where] : doc_words) vocabulary[w].push_back({d, where});
  }
  words_.reserve(vocabulary.size());
  for (auto& [w, postings] : vocabulary) words_.push_back({w, std::move(postings)});
}

SearchPage SearchIndex::search(const SearchQuery& q) const {
  const std::size_t n = docs_.size();
  const std::string folded = text::fold(q.q);
  const auto words = text::tokens(folded);

  // Scores of the documents that match every word (all of them when there are
  // no words); -1: not a hit.
  std::vector<int> score(n, words.empty() ? 1 : 0);
  if (!words.empty()) {
    std::vector<std::uint8_t> exact(n), prefix(n);
    std::vector<std::uint32_t> touched;
    std::vector<std::uint16_t> matched(n, 0);
    for (std::size_t k = 0; k < words.size(); ++k) {
      const auto w = words[k];
      auto it = std::lower_bound(words_.begin(), words_.end(), w,
                                 [](const Word& e, std::string_view v) { return e.text < v; });
      touched.clear();
      for (; it != words_.end() && std::string_view(it->text).starts_with(w); ++it) {
        const bool whole = it->text.size() == w.size();
        for (const auto& post : it->postings) {
          if (!prefix[post.doc]) touched.push_back(post.doc);
          prefix[post.doc] |= post.where;
          if (whole) exact[post.doc] |= post.where;
        }
      }
      for (auto d : touched) {
        if (matched[d] == k) {  // matched every earlier word too
          score[d] += word_score(exact[d], prefix[d], kName, kField, kComponent);
          matched[d] = static_cast<std::uint16_t>(k + 1);
        }
        exact[d] = prefix[d] = 0;
      }
    }
    for (std::size_t d = 0; d < n; ++d) {
      if (folded == folded_codes_[d]) {  // "1.001193" asks for that one
        score[d] = kCodeMatch;
        continue;
      }
      if (matched[d] != words.size()) {
        score[d] = -1;
        continue;
      }
      const std::string& name = folded_names_[d];
      if (const auto at = name.find(folded); at != std::string::npos) {
        score[d] += kPhraseInName;
        if (at + folded.size() == name.size()) score[d] += kPhraseEndsName;
      }
    }
  }

  // Filters as facet ids; a value no document has matches nothing. The field
  // compares folded, as search text does (NFC or NFD, any case): a field
  // spelled two ways is one filter.
  std::vector<char> field_ok(fields_.names.size(), q.field.empty() ? 1 : 0);
  if (!q.field.empty()) {
    const std::string want = text::fold(q.field);
    for (std::size_t i = 0; i < field_ok.size(); ++i) field_ok[i] = folded_fields_[i] == want;
  }
  const int want_level = q.level.empty() ? -2 : levels_.id(q.level);
  const int want_online = q.online_level.empty() ? -2 : onlines_.id(q.online_level);
  std::vector<std::size_t> field_counts(fields_.names.size()), level_counts(levels_.names.size()),
      online_counts(onlines_.names.size());
  struct Hit {
    std::uint32_t index;
    int score;
  };
  std::vector<Hit> hits;
  for (std::uint32_t d = 0; d < n; ++d) {
    if (score[d] <= 0 || docs_[d].retired) continue;
    const auto fi = fields_.of_doc[d], li = levels_.of_doc[d], oi = onlines_.of_doc[d];
    const bool f = field_ok[fi] != 0;
    const bool l = want_level == -2 || static_cast<int>(li) == want_level;
    const bool o = want_online == -2 || static_cast<int>(oi) == want_online;
    if (l && o) ++field_counts[fi];
    if (f && o) ++level_counts[li];
    if (f && l) ++online_counts[oi];
    if (f && l && o) hits.push_back({d, score[d]});
  }

  // Best first; equal scores: the shorter name (the general procedure before
  // its special cases), then the code (docs_ is in code order). A page starts
  // after the cursor's key, so only the hits past it need ordering, and only as
  // far as one page.
  auto key_of = [this](const Hit& h) {
    return SearchCursor{h.score, folded_names_[h.index].size(), docs_[h.index].procedure.code};
  };
  auto better = [this](const Hit& a, const Hit& b) {
    if (a.score != b.score) return a.score > b.score;
    const auto la = folded_names_[a.index].size(), lb = folded_names_[b.index].size();
    if (la != lb) return la < lb;
    return a.index < b.index;
  };
  SearchPage page;
  page.total = hits.size();
  if (q.after) {
    const SearchCursor& c = *q.after;
    std::erase_if(hits, [&](const Hit& h) {  // keeps the hits ranked after the cursor
      if (h.score != c.score) return h.score > c.score;
      const auto size = folded_names_[h.index].size();
      if (size != c.name_size) return size < c.name_size;
      return docs_[h.index].procedure.code <= c.code;
    });
  }
  const std::size_t end = std::min(hits.size(), q.limit);
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(end), hits.end(),
                    better);
  for (std::size_t k = 0; k < end; ++k) {
    page.items.push_back(&docs_[hits[k].index]);
    page.scores.push_back(hits[k].score);
  }
  page.more = end < hits.size();
  if (page.more && end > 0) page.next_cursor = cursor_text(key_of(hits[end - 1]));
  auto to_facet = [](const FacetValues& values, const std::vector<std::size_t>& counts) {
    Facet f;
    for (std::size_t i = 0; i < counts.size(); ++i)
      if (counts[i]) f.emplace_back(values.names[i], counts[i]);
    std::sort(f.begin(), f.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return f;
  };
  page.field = to_facet(fields_, field_counts);
  page.level = to_facet(levels_, level_counts);
  page.online_level = to_facet(onlines_, online_counts);
  return page;
}

const ProcedureVersion* SearchIndex::find(std::string_view code) const {
  auto it = std::lower_bound(
      docs_.begin(), docs_.end(), code,
      [](const ProcedureVersion& d, std::string_view c) { return d.procedure.code < c; });
  if (it == docs_.end() || it->procedure.code != code) return nullptr;
  return &*it;
}

}  // namespace motcua::catalog
