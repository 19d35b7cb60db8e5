// Ranked, accent-insensitive search over the current procedures, with facets.
//
// The index is built once per catalog change (hundreds to thousands of
// procedures) and never modified: readers share it without a lock. It is an
// inverted index of folded words, each posting tagged with where the word
// occurs (name, field or group, components); a query word matches every word
// it is a prefix of (one range of the sorted vocabulary), and every query word
// must match somewhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/catalog/model.hpp"

namespace motcua::catalog {

// Where a page ended: the sort key of its last item (a keyset, not a position),
// so that a procedure retired or added while someone pages neither skips nor
// repeats the others. Clients see it only encoded (cursor_text) and pass it back.
struct SearchCursor {
  int score = 0;
  std::size_t name_size = 0;  // the folded name's length, the first tie-break
  std::string code;
};

// "score~name_size~code": next_cursor as clients see it.
std::string cursor_text(const SearchCursor& c);
// The cursor a next_cursor encodes, or nothing when the text is not one.
std::optional<SearchCursor> parse_cursor(std::string_view text);

struct SearchQuery {
  std::string q;             // free text; empty lists everything
  std::string field;         // field (lĩnh vực), compared folded as search text is; "" for any
  std::string level;         // competent_level, or ""
  std::string online_level;  // or ""
  std::optional<SearchCursor> after;  // the previous page's end; absent: the first page
  std::size_t limit = 20;
};

// value -> count, most frequent first (then by value).
using Facet = std::vector<std::pair<std::string, std::size_t>>;

struct SearchPage {
  std::vector<const ProcedureVersion*> items;
  std::vector<int> scores;  // beside items
  std::size_t total = 0;    // hits before paging
  bool more = false;        // a next page exists
  std::string next_cursor;  // cursor_text() of the last item when `more`, else ""
  // Each facet counts the hits of the text query under the other filters, so
  // a chosen value does not hide its alternatives.
  Facet field, level, online_level;
};

class SearchIndex {
 public:
  // `current` is the current version of every procedure; retired ones are kept
  // for find() but left out of search().
  explicit SearchIndex(std::vector<ProcedureVersion> current);

  SearchPage search(const SearchQuery& q) const;
  const ProcedureVersion* find(std::string_view code) const;
  const std::vector<ProcedureVersion>& all() const { return docs_; }

 private:
  enum Where : std::uint8_t { kName = 1, kField = 2, kComponent = 4 };
  struct Posting {
    std::uint32_t doc;
    std::uint8_t where;
  };
  struct Word {
    std::string text;
    std::vector<Posting> postings;  // by doc
  };
  // A facet's values as small ids, so counting is an array increment.
  struct FacetValues {
    std::vector<std::string> names;
    std::vector<std::uint32_t> of_doc;    // beside docs_
    int id(std::string_view name) const;  // -1: no document has it
  };

  std::vector<ProcedureVersion> docs_;      // sorted by code
  std::vector<std::string> folded_names_;   // beside docs_, without a leading "thủ tục"
  std::vector<std::string> folded_codes_;   // beside docs_: "1 001193"
  std::vector<std::string> folded_fields_;  // beside fields_.names: what the filter compares
  std::vector<Word> words_;                 // sorted by text: the inverted index
  FacetValues fields_, levels_, onlines_;
};

}  // namespace motcua::catalog
