// The resolver reads an address as a sequence of folded tokens, finds every
// span that is the name of a unit (old or new commune, old district, old or new
// province), then scores each commune-level match by how well the other spans
// agree with it (its district, its province, the type word written before it).
// All names are folded and hashed once at construction; a query does a few
// dozen hash look-ups on views into one buffer.
#include "domain/units/resolver.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "text/fold.hpp"

namespace motcua::units {
namespace {

constexpr const char* kNow = "9999-12-31";
constexpr std::size_t kMaxTokens = 48;
constexpr std::size_t kMaxSpan = 8;

// Unit types as small numbers, for type-word hints.
enum Type : std::uint8_t {
  kNoType,
  kPhuong,
  kXa,
  kThiTran,
  kDacKhu,
  kQuan,
  kHuyen,
  kThiXa,
  kThanhPho,
  kTinh,
  kThanhPhoTw,
};

Type type_of(std::string_view unit_type) {
  static const std::unordered_map<std::string_view, Type> kTypes = {
      {"phuong", kPhuong},    {"xa", kXa},
      {"thi_tran", kThiTran}, {"dac_khu", kDacKhu},
      {"quan", kQuan},        {"huyen", kHuyen},
      {"thi_xa", kThiXa},     {"thanh_pho", kThanhPho},
      {"tinh", kTinh},        {"thanh_pho_tw", kThanhPhoTw}};
  auto it = kTypes.find(unit_type);
  return it == kTypes.end() ? kNoType : it->second;
}

enum LevelBit : std::uint8_t { kCommuneBit = 1, kDistrictBit = 2, kProvinceBit = 4 };

// A type word written before a name: "P.", "Quận", "TP", ...
struct Hint {
  std::uint8_t levels = 0;  // which levels the name after it may be
  Type type = kNoType;
  std::uint8_t tokens = 0;  // how many tokens the type word takes
};

// Type words, folded; two-token words are tried first.
const Hint* hint_for(std::string_view one, std::string_view two) {
  static const std::unordered_map<std::string_view, Hint> kTwo = {
      {"thi tran", {kCommuneBit, kThiTran, 2}},
      {"dac khu", {kCommuneBit, kDacKhu, 2}},
      {"thi xa", {kDistrictBit, kThiXa, 2}},
      {"thanh pho", {kDistrictBit | kProvinceBit, kThanhPho, 2}},
  };
  static const std::unordered_map<std::string_view, Hint> kOne = {
      {"phuong", {kCommuneBit, kPhuong, 1}}, {"p", {kCommuneBit, kPhuong, 1}},
      {"f", {kCommuneBit, kPhuong, 1}},      {"xa", {kCommuneBit, kXa, 1}},
      {"x", {kCommuneBit, kXa, 1}},          {"tt", {kCommuneBit, kThiTran, 1}},
      {"quan", {kDistrictBit, kQuan, 1}},    {"q", {kDistrictBit, kQuan, 1}},
      {"huyen", {kDistrictBit, kHuyen, 1}},  {"h", {kDistrictBit, kHuyen, 1}},
      {"tx", {kDistrictBit, kThiXa, 1}},     {"tp", {kDistrictBit | kProvinceBit, kThanhPho, 1}},
      {"tinh", {kProvinceBit, kTinh, 1}},
  };
  if (!two.empty()) {
    if (auto it = kTwo.find(two); it != kTwo.end()) return &it->second;
  }
  if (auto it = kOne.find(one); it != kOne.end()) return &it->second;
  return nullptr;
}

// Words that introduce a street or a house number: a name right after them is
// more likely a street than the unit ("đường Láng", "phố Huế").
bool is_street_word(std::string_view t) {
  static const std::unordered_set<std::string_view> kWords = {
      "duong", "pho", "ngo", "ngach", "hem", "kiet", "so",     "sn",     "to", "thon",
      "ap",    "xom", "ban", "khu",   "kp",  "khom", "hamlet", "street", "st"};
  return kWords.contains(t);
}

// Short or numeric names ("Phường 15", "Xã Tư") are only taken after a type word:
// otherwise every house number would be a ward.
bool is_weak_name(std::string_view folded) {
  if (folded.size() <= 2) return true;
  if (std::all_of(folded.begin(), folded.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return true;
  }
  static const std::unordered_set<std::string_view> kRoman = {
      "iii", "vii", "viii", "xii", "xiii", "xiv", "xvi", "xvii", "xviii", "xix", "xxi"};
  return kRoman.contains(folded);
}

bool all_digits(std::string_view t) {
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A syllable of a consonant and "y" is written with "i" as well: Quý and Quí,
// Kỳ and Kì, Mỹ and Mĩ (the old list has "Huyện Phú Quí", people and the new
// list write Phú Quý). Such a folded token is read with "i".
bool y_reads_as_i(std::string_view t) {
  if (t.size() < 2 || t.back() != 'y') return false;
  static const std::unordered_set<std::string_view> kConsonants = {
      "b",  "c",  "ch", "d",  "g",  "gh", "h", "k", "kh", "l",  "m", "n",
      "ng", "nh", "p",  "ph", "qu", "r",  "s", "t", "th", "tr", "v", "x"};
  return kConsonants.contains(t.substr(0, t.size() - 1));
}

// Appends a folded token as the index and the query read it: numbers by value
// (text::number_by_value), a final "y" of y_reads_as_i() as "i".
void append_token(std::string_view t, std::string& out) {
  t = text::number_by_value(t);
  out.append(t);
  if (y_reads_as_i(t)) out.back() = 'i';
}

// A folded name with append_token() applied to each token: in the query and
// in the names indexed alike.
std::string read_as_indexed(std::string_view folded) {
  std::string out;
  out.reserve(folded.size());
  for (auto t : text::tokens(folded)) {
    if (!out.empty()) out.push_back(' ');
    append_token(t, out);
  }
  return out;
}

bool contains(const std::vector<std::uint32_t>& v, std::uint32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void add_unique(std::vector<std::uint32_t>& v, std::uint32_t x) {
  if (!contains(v, x)) v.push_back(x);
}

std::uint32_t code_num(std::string_view code) {
  std::uint32_t n = 0;
  for (char c : code) n = n * 10 + static_cast<std::uint32_t>(c - '0');
  return n;
}

// Removes a leading type word ("Phường ", "Xã ", "Thị trấn ") from a folded name.
std::string_view strip_commune_type(std::string_view folded, Type* type) {
  static constexpr std::pair<std::string_view, Type> kPrefixes[] = {
      {"phuong ", kPhuong}, {"xa ", kXa}, {"thi tran ", kThiTran}, {"dac khu ", kDacKhu}};
  for (auto [p, t] : kPrefixes) {
    if (folded.size() > p.size() && folded.substr(0, p.size()) == p) {
      if (type) *type = t;
      return folded.substr(p.size());
    }
  }
  return folded;
}

enum class Kind : std::uint8_t {
  kOldCommune,
  kNewCommune,
  kOldDistrict,
  kOldProvince,
  kNewProvince
};

// One meaning of a folded name: a unit of some kind, by its id in that kind's
// table, and the diacritics of the spelling indexed (Index::marks).
struct Entry {
  Kind kind;
  std::uint32_t id;
  std::uint32_t marks = 0;
};

// The diacritics of `text` from its token `skip` on: text::token_marks()
// joined by spaces, so a name and a span of the query compare as strings.
std::string marks_key(std::string_view text, std::size_t skip = 0) {
  std::string key;
  const auto marks = text::token_marks(text);
  for (std::size_t t = skip; t < marks.size(); ++t) {
    if (t > skip) key.push_back(' ');
    key.append(marks[t]);
  }
  return key;
}

struct ViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

struct Resolver::Index {
  // An old commune as the conversion table or the old list names it.
  struct OldCommune {
    std::string code;  // the old list's code when it knows the name
    std::string full_name;
    std::uint32_t district = 0;
    std::uint32_t province = 0;
    Type type = kNoType;
    const UnitVersion* version = nullptr;  // in the old list, when found there
    std::vector<const Succession*> rows;
    std::vector<std::uint32_t> new_provinces;
  };

  struct NewCommune {
    std::string code;
    std::uint32_t province = 0;
    Type type = kNoType;
    std::vector<std::uint32_t> old_districts;
    std::vector<std::uint32_t> old_provinces;
  };

  struct District {
    std::string code;
    std::string full_name;
    std::uint32_t num = 0;
    std::uint32_t province = 0;
    Type type = kNoType;
    std::vector<const Succession*> whole_rows;  // the district went as a whole
    std::vector<std::uint32_t> new_provinces;
    // The new communes that took its communes (Registry::district_successors).
    std::vector<const Succession*> successors;
  };

  struct Province {
    std::uint32_t num = 0;
    bool is_new = false;
    Type type = kNoType;
  };

  std::unordered_map<std::string, std::vector<Entry>, ViewHash, std::equal_to<>> names;
  std::vector<OldCommune> old_communes;
  std::vector<NewCommune> new_communes;
  std::vector<District> districts;
  std::vector<Province> provinces;  // old and new alike; the entry kind tells which
  std::size_t longest = 1;          // tokens in the longest name
  // The diacritics of the spellings indexed (marks_key), each once.
  std::vector<std::string> marks{""};
  std::unordered_map<std::string, std::uint32_t> marks_ids{{"", 0}};

  // Indexes `folded_name` for `e`; `spelling` is the name as written (NFC),
  // whose tokens from `skip` on are those of folded_name.
  void add_name(std::string_view folded_name, std::string_view spelling, std::size_t skip,
                Entry e) {
    const std::string folded = read_as_indexed(folded_name);  // as tokenize() reads a query
    if (folded.empty()) return;
    auto [m, added] =
        marks_ids.emplace(marks_key(spelling, skip), static_cast<std::uint32_t>(marks.size()));
    if (added) marks.push_back(m->first);
    e.marks = m->second;
    auto& list = names[folded];
    for (const auto& x : list) {
      if (x.kind == e.kind && x.id == e.id && x.marks == e.marks) return;
    }
    list.push_back(e);
    longest = std::max(longest, text::tokens(folded).size());
  }
};

namespace {

// A name found in the text.
struct Match {
  std::uint8_t begin, end;  // token range
  bool street = false;
  const Hint* hint = nullptr;
  Entry entry;
  bool dropped = false;
};

// Query tokens as views into one folded buffer, with the diacritics of each
// (text::token_marks) in a second one.
struct Tokens {
  std::string buffer, marks;
  std::array<std::uint16_t, kMaxTokens> begin{}, end{}, marks_begin{}, marks_end{};
  std::array<std::uint8_t, kMaxTokens> segment{};
  std::size_t count = 0;
  bool marked = false;  // written with diacritics: they then tell names apart

  std::string_view token(std::size_t i) const {
    return std::string_view(buffer).substr(begin[i], end[i] - begin[i]);
  }
  std::string_view span(std::size_t i, std::size_t j) const {  // tokens [i, j)
    return std::string_view(buffer).substr(begin[i], end[j - 1] - begin[i]);
  }
  // The diacritics of tokens [i, j) as marks_key() writes a name's.
  void span_marks(std::size_t i, std::size_t j, std::string& out) const {
    out.clear();
    for (std::size_t t = i; t < j; ++t) {
      if (t > i) out.push_back(' ');
      out.append(marks, marks_begin[t], marks_end[t] - marks_begin[t]);
    }
  }
};

// Splits a token like "p15" or "q1" into its type letter and number.
std::size_t letter_number_split(std::string_view t) {
  if (t.size() >= 2 && (t[0] == 'p' || t[0] == 'q' || t[0] == 'f') && all_digits(t.substr(1))) {
    return 1;
  }
  return 0;
}

void tokenize(std::string_view text, Tokens& out) {
  std::string folded, marks;
  folded.reserve(64);
  out.buffer.reserve(text.size() + 8);
  std::uint8_t segment = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size() && out.count < kMaxTokens; ++i) {
    const bool cut = i == text.size() || text[i] == ',' || text[i] == ';' || text[i] == '\n';
    if (!cut) continue;
    folded.clear();
    const auto part = text.substr(start, i - start);
    text::fold_append(part, folded);
    start = i + 1;
    marks.clear();
    text::token_marks_append(part, marks);  // one run per token of `folded`, each then ' '
    std::size_t next_marks = 0;
    for (auto t : text::tokens(folded)) {
      std::size_t space = marks.find(' ', next_marks);
      if (space == std::string::npos) space = next_marks = marks.size();  // never, by construction
      const auto own = std::string_view(marks).substr(next_marks, space - next_marks);
      next_marks = std::min(space + 1, marks.size());
      const std::size_t split = letter_number_split(t);
      bool first_piece = true;
      for (auto piece : split ? std::array{t.substr(0, split), t.substr(split)}
                              : std::array{t, std::string_view{}}) {
        if (piece.empty() || out.count == kMaxTokens) continue;
        out.marks_begin[out.count] = static_cast<std::uint16_t>(out.marks.size());
        if (first_piece) out.marks.append(own);  // "p15": the letter's
        first_piece = false;
        out.marks_end[out.count] = static_cast<std::uint16_t>(out.marks.size());
        out.marked = out.marked || !own.empty();
        if (out.count > 0 && out.segment[out.count - 1] == segment) {
          out.buffer.push_back(' ');
        } else if (out.count > 0) {
          out.buffer.push_back('|');  // never inside a span: spans stay in a segment
        }
        out.begin[out.count] = static_cast<std::uint16_t>(out.buffer.size());
        append_token(piece, out.buffer);
        out.end[out.count] = static_cast<std::uint16_t>(out.buffer.size());
        out.segment[out.count] = segment;
        ++out.count;
      }
    }
    if (segment < 255) ++segment;
  }
}

}  // namespace

Resolver::Resolver(const Registry& registry)
    : registry_(registry), index_(std::make_unique<Index>()) {
  Index& ix = *index_;

  // Provinces and districts, from the registry's versions.
  std::unordered_map<std::uint32_t, std::uint32_t> district_by_num;
  for (const auto& v : registry.all_versions()) {
    const auto& folded = registry.folded_name(v);
    if (v.level == Level::kProvince) {
      const auto id = static_cast<std::uint32_t>(ix.provinces.size());
      ix.provinces.push_back({code_num(v.code), !is_old_unit(v), type_of(v.unit_type)});
      ix.add_name(folded, v.name, 0,
                  {is_old_unit(v) ? Kind::kOldProvince : Kind::kNewProvince, id});
    } else if (v.level == Level::kDistrict) {
      const auto id = static_cast<std::uint32_t>(ix.districts.size());
      ix.districts.push_back({v.code,
                              v.full_name,
                              code_num(v.code),
                              code_num(v.province_code),
                              type_of(v.unit_type),
                              {},
                              {},
                              registry.district_successors(v.code)});
      district_by_num.emplace(code_num(v.code), id);
      ix.add_name(folded, v.name, 0, {Kind::kOldDistrict, id});
    }
  }
  for (auto& d : ix.districts) {
    for (const Succession* s : d.successors) {
      add_unique(d.new_provinces, code_num(s->new_province_code));
    }
  }
  // Names people use for provinces beside the official ones.
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"hcm", "79"},    {"tphcm", "79"},
      {"hcmc", "79"},   {"sai gon", "79"},
      {"saigon", "79"}, {"sg", "79"},
      {"hn", "01"},     {"hp", "31"},
      {"brvt", "77"},   {"thua thien hue", "46"},
      {"tt hue", "46"}, {"dak nong", "67"}};
  for (std::uint32_t id = 0; id < ix.provinces.size(); ++id) {
    for (auto [alias, code] : kAliases) {
      if (ix.provinces[id].num == code_num(code)) {
        ix.add_name(alias, alias, 0,
                    {ix.provinces[id].is_new ? Kind::kNewProvince : Kind::kOldProvince, id});
      }
    }
  }

  // New communes, each code once (its spellings over time all map to it).
  std::unordered_map<std::string_view, std::uint32_t> new_by_code;
  for (const auto& v : registry.all_versions()) {
    if (v.level != Level::kCommune || is_old_unit(v)) continue;
    auto [it, added] =
        new_by_code.emplace(v.code, static_cast<std::uint32_t>(ix.new_communes.size()));
    if (added) {
      Index::NewCommune nc;
      nc.code = v.code;
      nc.province = code_num(v.province_code);
      nc.type = type_of(v.unit_type);
      for (const Succession* s : registry.successions_into(v.code)) {
        add_unique(nc.old_districts, code_num(s->old_district_code));
        add_unique(nc.old_provinces, code_num(s->old_province_code));
      }
      ix.new_communes.push_back(std::move(nc));
    }
    ix.add_name(registry.folded_name(v), v.name, 0, {Kind::kNewCommune, it->second});
  }

  // Old communes: one per (district, name as written), from the conversion
  // table and from the old list. Names that differ only in diacritics are
  // different communes (Xã Minh Quán, Xã Minh Quân of Trấn Yên); the same
  // commune spelled differently by the two sources (Ia Mláh, Ia Mlah) is found
  // by its code among the communes of the same folded name in its district.
  // An old-list commune found neither way borrows the rows of its code.
  std::unordered_map<std::string, std::uint32_t> old_by_key;  // "district|folded|marks"
  std::unordered_map<std::string, std::vector<std::uint32_t>> old_by_folded;  // "district|folded"
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> old_by_code;
  auto key_of = [](std::string_view district, std::string_view folded, std::string_view marks) {
    std::string k(district);
    k.push_back('|');
    k.append(folded);
    if (marks.data() != nullptr) {
      k.push_back('|');
      k.append(marks);
    }
    return k;
  };
  // The commune of `folded` in `district` that the conversion table gives `code`.
  auto same_code = [&](const std::string& folded_key, std::string_view code) -> std::int64_t {
    auto it = old_by_folded.find(folded_key);
    if (it == old_by_folded.end()) return -1;
    for (auto id : it->second) {
      for (const Succession* s : ix.old_communes[id].rows) {
        if (s->old_commune_code == code) return id;
      }
    }
    return -1;
  };
  // Indexes old commune `id` by `folded` without its type word; `spelling` is
  // what `folded` folds.
  auto index_old_name = [&](std::string_view folded, std::string_view spelling, std::uint32_t id,
                            Type* type) {
    const std::string_view name = strip_commune_type(folded, type);
    const std::size_t skip = text::tokens(folded).size() - text::tokens(name).size();
    ix.add_name(name, spelling, skip, {Kind::kOldCommune, id});
  };
  for (const auto& s : registry.all_successions()) {
    if (s.old_commune_code.empty() && s.old_commune_name.empty()) {
      auto d = district_by_num.find(code_num(s.old_district_code));
      if (d != district_by_num.end()) {
        auto& district = ix.districts[d->second];
        district.whole_rows.push_back(&s);
        add_unique(district.new_provinces, code_num(s.new_province_code));
      }
      continue;
    }
    if (s.old_commune_code.empty()) continue;  // an area, not a commune (Kim Sơn's coastal land)
    Type type = kNoType;
    const std::string folded_full = text::fold(s.old_commune_name);
    // The key keeps the type: Thị trấn Thiệu Hóa and Xã Thiệu Hòa share a district.
    const std::string folded_key = key_of(s.old_district_code, folded_full, {});
    const std::string key = key_of(s.old_district_code, folded_full, marks_key(s.old_commune_name));
    auto it = old_by_key.find(key);
    if (it == old_by_key.end()) {
      const auto same = same_code(folded_key, s.old_commune_code);
      const auto id = same >= 0 ? static_cast<std::uint32_t>(same)
                                : static_cast<std::uint32_t>(ix.old_communes.size());
      it = old_by_key.emplace(key, id).first;
      if (same < 0) {
        Index::OldCommune oc;
        oc.code = s.old_commune_code;
        oc.full_name = s.old_commune_name;
        oc.district = code_num(s.old_district_code);
        oc.province = code_num(s.old_province_code);
        ix.old_communes.push_back(std::move(oc));
        old_by_code[s.old_commune_code].push_back(id);
        old_by_folded[folded_key].push_back(id);
      }
      index_old_name(folded_full, s.old_commune_name, id, &type);
      if (same < 0) ix.old_communes[id].type = type;
    }
    auto& oc = ix.old_communes[it->second];
    oc.rows.push_back(&s);
    add_unique(oc.new_provinces, code_num(s.new_province_code));
  }
  for (const auto& v : registry.all_versions()) {
    if (v.level != Level::kCommune || !is_old_unit(v)) continue;
    const std::string& folded_full = registry.folded_full_name(v);
    const std::string folded_key = key_of(v.district_code, folded_full, {});
    const std::string key = key_of(v.district_code, folded_full, marks_key(v.full_name));
    auto it = old_by_key.find(key);
    if (it == old_by_key.end()) {
      const auto same = same_code(folded_key, v.code);
      const auto id = same >= 0 ? static_cast<std::uint32_t>(same)
                                : static_cast<std::uint32_t>(ix.old_communes.size());
      it = old_by_key.emplace(key, id).first;
      if (same < 0) {
        Index::OldCommune oc;
        oc.district = code_num(v.district_code);
        oc.province = code_num(v.province_code);
        auto borrowed = old_by_code.find(v.code);
        if (borrowed != old_by_code.end()) {
          for (auto other : borrowed->second) {
            for (const Succession* s : ix.old_communes[other].rows) {
              oc.rows.push_back(s);
              add_unique(oc.new_provinces, code_num(s->new_province_code));
            }
          }
        }
        ix.old_communes.push_back(std::move(oc));
        old_by_folded[folded_key].push_back(id);
      }
      index_old_name(registry.folded_name(v), v.name, id, nullptr);
    }
    // The old list is the authority on an old commune's code, name and type.
    auto& oc = ix.old_communes[it->second];
    oc.code = v.code;
    oc.full_name = v.full_name;
    oc.type = type_of(v.unit_type);
    oc.version = &v;
  }
  // A code typo in the table can give a commune's rows to its neighbour: keep,
  // for a commune found in the old list, only the rows that name it when some do.
  for (auto& oc : ix.old_communes) {
    if (oc.version == nullptr || oc.rows.size() < 2) continue;
    const std::string own = text::fold(oc.full_name);
    std::vector<const Succession*> named;
    for (const Succession* s : oc.rows) {
      if (text::fold(s->old_commune_name) == own) named.push_back(s);
    }
    if (!named.empty() && named.size() < oc.rows.size()) {
      oc.rows = std::move(named);
      oc.new_provinces.clear();
      for (const Succession* s : oc.rows)
        add_unique(oc.new_provinces, code_num(s->new_province_code));
    }
  }
  ix.longest = std::min(ix.longest, kMaxSpan);
}

Resolver::~Resolver() = default;

namespace {

// Points of a reading; the score is points / kBest.
constexpr double kName = 4.0;
constexpr double kTypeAgrees = 1.0;
constexpr double kDistrictAgrees = 2.0;
constexpr double kDistrictDisagrees = -1.5;
// New communes have no district: an old district written beside a new name
// agrees less than it does with an old commune, and marks the address as old-style.
constexpr double kDistrictAgreesWithNew = 1.0;
constexpr double kProvinceAgrees = 2.0;
constexpr double kProvinceDisagrees = -3.0;
constexpr double kCurrentName = 0.5;
constexpr double kAfterStreetWord = -1.0;
constexpr double kBest = kName + kTypeAgrees + kDistrictAgrees + kProvinceAgrees + kCurrentName;
constexpr double kKeepWithin = 1.0;  // readings this far below the best stay candidates
constexpr double kMinPoints = 2.5;   // below this the context contradicts the name

struct Anchor {
  const Match* match;
  double points;
};

bool overlaps(const Match& a, const Match& b) { return a.begin < b.end && b.begin < a.end; }

bool is_province(Kind k) { return k == Kind::kOldProvince || k == Kind::kNewProvince; }

bool same_span(const Match& a, const Match& b) { return a.begin == b.begin && a.end == b.end; }

// The last part of an address is its province as people write it: once the
// parts before it name something, "..., Cao Bằng" is Tỉnh Cao Bằng, neither
// its old capital Thành phố Cao Bằng nor a Xã Cao Bằng elsewhere. (A type word
// decides otherwise: "Thành phố Cao Bằng" has no province reading.)
void drop_all_but_the_province_at_the_end(std::vector<Match>& matches) {
  const Match* last = nullptr;
  for (const auto& m : matches) {
    if (m.dropped) continue;
    if (!last || m.begin > last->begin || (m.begin == last->begin && m.end > last->end)) last = &m;
  }
  if (last == nullptr) return;
  bool province = false, before = false;
  for (const auto& m : matches) {
    if (m.dropped) continue;
    if (same_span(m, *last)) province = province || is_province(m.entry.kind);
    before = before || m.end <= last->begin;
  }
  if (!province || !before) return;
  const Match end = *last;
  for (auto& m : matches) {
    if (same_span(m, end) && !is_province(m.entry.kind)) m.dropped = true;
  }
}

}  // namespace

Resolution Resolver::resolve(std::string_view text, std::string_view at) const {
  const Index& ix = *index_;
  const std::string date = at.empty() ? std::string(kNow) : std::string(at);
  const bool before_reform = date < kReformDate;

  Resolution out;
  Tokens toks;
  tokenize(text, toks);

  // Every span that names a unit, with the type word before it.
  std::vector<Match> matches;
  matches.reserve(32);
  std::string span_marks;
  for (std::size_t i = 0; i < toks.count; ++i) {
    const Hint* hint = nullptr;
    if (i >= 1 && toks.segment[i - 1] == toks.segment[i]) {
      std::string_view two;
      if (i >= 2 && toks.segment[i - 2] == toks.segment[i]) two = toks.span(i - 2, i);
      hint = hint_for(toks.token(i - 1), two);
    }
    const std::size_t before = hint ? i - hint->tokens : i;
    const bool street = before >= 1 && toks.segment[before - 1] == toks.segment[i] &&
                        is_street_word(toks.token(before - 1));
    for (std::size_t j = i + 1; j <= toks.count && j - i <= ix.longest; ++j) {
      if (toks.segment[j - 1] != toks.segment[i]) break;
      const auto key = toks.span(i, j);
      auto it = ix.names.find(key);
      if (it == ix.names.end()) continue;
      const bool weak = !hint && is_weak_name(key);
      auto readable = [&](const Entry& e) {
        // Province names and aliases ("HN") stand alone; short commune names do not.
        if (weak && e.kind != Kind::kOldProvince && e.kind != Kind::kNewProvince) return false;
        if (!hint) return true;
        const std::uint8_t bit = (e.kind == Kind::kOldCommune || e.kind == Kind::kNewCommune)
                                     ? kCommuneBit
                                 : e.kind == Kind::kOldDistrict ? kDistrictBit
                                                                : kProvinceBit;
        if (!(hint->levels & bit)) return false;
        // "Thành phố Cao Bằng" is the old city: the province is a tỉnh.
        return !(bit == kProvinceBit && hint->type == kThanhPho &&
                 ix.provinces[e.id].type != kThanhPhoTw);
      };
      // Written with diacritics, a name spelled exactly so is the one meant:
      // "Minh Quán" is not Minh Quân, "Kiên Giang" not Kiến Giang. Without
      // them (or when no spelling agrees) every reading of the fold stays.
      bool any_exact = false;
      if (toks.marked && it->second.size() > 1) {
        toks.span_marks(i, j, span_marks);
        for (const auto& e : it->second) {
          any_exact = any_exact || (readable(e) && ix.marks[e.marks] == span_marks);
        }
      }
      const std::size_t first = matches.size();
      for (const auto& e : it->second) {
        if (!readable(e) || (any_exact && ix.marks[e.marks] != span_marks)) continue;
        // A unit indexed under two spellings is one reading.
        const bool seen = std::any_of(
            matches.begin() + static_cast<std::ptrdiff_t>(first), matches.end(),
            [&](const Match& m) { return m.entry.kind == e.kind && m.entry.id == e.id; });
        if (seen) continue;
        matches.push_back(
            Match{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(j), street, hint, e});
      }
    }
  }

  // A reading without a type word that overlaps another reading's type word
  // or name loses to it: "Quận Ba Đình" is not "Quản Bạ" + "Đình", "Thành phố
  // Cao Bằng" not Xã Thanh + Xã Phố Cáo, "Thị trấn Lâm" not Phường Trần Lãm.
  // This goes first: "Phường Đúc" is no part of "Phượng Dực".
  for (auto& m : matches) {
    if (m.hint) continue;
    for (const auto& other : matches) {
      if (!other.hint) continue;
      const std::size_t word = other.begin - other.hint->tokens;
      if (m.begin < other.end && word < m.end) {
        m.dropped = true;
        break;
      }
    }
  }

  // A name inside a longer name is part of it ("Vũng Tàu" in "Bà Rịa - Vũng
  // Tàu"), unless its type word is too: in "Phường Phường Đúc" both Phường
  // Đúc and Xã Phượng Dực stay, and the type words and context choose.
  for (auto& m : matches) {
    for (const auto& other : matches) {
      const bool inside =
          other.begin <= m.begin && m.end <= other.end && other.end - other.begin > m.end - m.begin;
      const bool type_word_too = m.hint && other.begin + m.hint->tokens <= m.begin;
      if (!other.dropped && inside && !type_word_too) {
        m.dropped = true;
        break;
      }
    }
  }

  drop_all_but_the_province_at_the_end(matches);

  auto district_agrees = [&](const Match& anchor, const Index::District& d) {
    switch (anchor.entry.kind) {
      case Kind::kOldCommune:
        return ix.old_communes[anchor.entry.id].district == d.num;
      case Kind::kNewCommune:
        return contains(ix.new_communes[anchor.entry.id].old_districts, d.num);
      case Kind::kOldDistrict:
        return ix.districts[anchor.entry.id].num == d.num;
      default:
        return false;
    }
  };
  auto province_agrees = [&](const Match& anchor, const Match& p) {
    const auto num = ix.provinces[p.entry.id].num;
    const bool old = p.entry.kind == Kind::kOldProvince;
    switch (anchor.entry.kind) {
      case Kind::kOldCommune: {
        const auto& oc = ix.old_communes[anchor.entry.id];
        return old ? oc.province == num : contains(oc.new_provinces, num);
      }
      case Kind::kNewCommune: {
        const auto& nc = ix.new_communes[anchor.entry.id];
        return old ? contains(nc.old_provinces, num) : nc.province == num;
      }
      case Kind::kOldDistrict: {
        const auto& d = ix.districts[anchor.entry.id];
        return old ? d.province == num : contains(d.new_provinces, num);
      }
      default:
        return false;
    }
  };

  // Score each commune-level reading (and each district that went as a whole).
  // A district divided between several new communes is read only when no
  // commune is: its communes' successors are then the candidates.
  std::vector<Anchor> anchors, divided_districts;
  bool saw_district = false, saw_province = false;
  for (const auto& m : matches) {
    if (m.dropped) continue;
    const Kind k = m.entry.kind;
    if (k == Kind::kOldDistrict) saw_district = true;
    if (k == Kind::kOldProvince || k == Kind::kNewProvince) saw_province = true;
    const bool whole_district =
        k == Kind::kOldDistrict && !ix.districts[m.entry.id].whole_rows.empty();
    const bool divided_district =
        k == Kind::kOldDistrict && !whole_district && !ix.districts[m.entry.id].successors.empty();
    if (k != Kind::kOldCommune && k != Kind::kNewCommune && !whole_district && !divided_district) {
      continue;
    }

    double points = kName;
    Type type = kNoType;
    if (k == Kind::kOldCommune) type = ix.old_communes[m.entry.id].type;
    if (k == Kind::kNewCommune) type = ix.new_communes[m.entry.id].type;
    if (k == Kind::kOldDistrict) type = ix.districts[m.entry.id].type;
    if (m.hint && m.hint->type == type) points += kTypeAgrees;
    if (m.street) points += kAfterStreetWord;

    // Other spans give context. A span may have several readings ("Tuyên Quang"
    // is a province and an old district): it disagrees only when none agrees.
    bool district_ok = false, district_bad = false, province_ok = false, province_bad = false;
    for (std::size_t g = 0; g < matches.size();) {
      std::size_t h = g;
      while (h < matches.size() && matches[h].begin == matches[g].begin &&
             matches[h].end == matches[g].end) {
        ++h;
      }
      const Match& first = matches[g];
      if (!first.street && !overlaps(first, m)) {
        bool has_d = false, d_ok = false, has_p = false, p_ok = false;
        for (std::size_t x = g; x < h; ++x) {
          const Match& o = matches[x];
          if (o.dropped) continue;
          if (o.entry.kind == Kind::kOldDistrict) {
            has_d = true;
            d_ok = d_ok || district_agrees(m, ix.districts[o.entry.id]);
          } else if (o.entry.kind == Kind::kOldProvince || o.entry.kind == Kind::kNewProvince) {
            has_p = true;
            p_ok = p_ok || province_agrees(m, o);
          }
        }
        district_ok = district_ok || d_ok;
        province_ok = province_ok || p_ok;
        district_bad = district_bad || (has_d && !d_ok && !p_ok);
        province_bad = province_bad || (has_p && !p_ok && !d_ok);
      }
      g = h;
    }
    if (k == Kind::kNewCommune) {
      if (district_ok) {
        points += kDistrictAgreesWithNew;
      } else if (!before_reform) {
        points += kCurrentName;
      }
    }
    if (district_ok) {
      if (k != Kind::kNewCommune) points += kDistrictAgrees;
    } else if (district_bad) {
      points += kDistrictDisagrees;
    }
    if (province_ok) {
      points += kProvinceAgrees;
    } else if (province_bad) {
      points += kProvinceDisagrees;
    }
    if (points < kMinPoints) continue;
    (divided_district ? divided_districts : anchors).push_back({&m, points});
  }
  if (anchors.empty()) anchors = std::move(divided_districts);

  if (anchors.empty()) {
    if (saw_district || saw_province) {
      out.reason_vi =
          "Địa chỉ chỉ có quận/huyện hoặc tỉnh/thành phố; hãy ghi thêm tên xã, phường, "
          "thị trấn (cũ hoặc mới).";
      out.reason_en =
          "The address names only a district or a province; add the commune or ward "
          "(old or new name).";
    } else {
      out.reason_vi =
          "Không tìm thấy xã, phường nào khớp với địa chỉ. Hãy ghi tên xã/phường và "
          "tỉnh/thành phố, ví dụ \"Phường Trúc Bạch, Quận Ba Đình, Hà Nội\".";
      out.reason_en =
          "No commune or ward matches the address. Give the commune or ward and the "
          "province, for example \"Phường Trúc Bạch, Quận Ba Đình, Hà Nội\".";
    }
    return out;
  }

  double best = anchors.front().points;
  for (const auto& a : anchors) best = std::max(best, a.points);
  std::sort(anchors.begin(), anchors.end(),
            [](const Anchor& a, const Anchor& b) { return a.points > b.points; });

  // Expand readings into communes in force at `date`, one candidate per code.
  // A code names different units over time, so the version found must be the
  // unit the reading means: an old unit (in force before the reform) or a new one.
  const Anchor* top = nullptr;
  std::size_t top_parts = 0;
  auto add = [&](const std::string& code, double points, std::optional<Via> via, bool old_unit,
                 Level level = Level::kCommune) {
    const UnitVersion* v = registry_.at(code, date);
    if (v == nullptr || v->level != level || is_old_unit(*v) != old_unit) return false;
    for (auto& c : out.candidates) {
      if (c.code == code) {
        // A tie goes to the reading that named the unit itself.
        if (points > c.score || (points == c.score && !via && c.via)) {
          c.score = points;
          c.via = std::move(via);
        }
        return true;
      }
    }
    Candidate c;
    c.code = v->code;
    c.full_name = v->full_name;
    c.province_code = v->province_code;
    if (const UnitVersion* p = registry_.at(v->province_code, date)) c.province_name = p->full_name;
    c.score = points;
    c.via = std::move(via);
    out.candidates.push_back(std::move(c));
    return true;
  };
  // A new unit named on a date before it existed: the best such reading.
  const Index::NewCommune* not_yet = nullptr;
  for (const auto& a : anchors) {
    if (a.points < best - kKeepWithin) break;
    const Match& m = *a.match;
    std::size_t parts = 0;
    switch (m.entry.kind) {
      case Kind::kNewCommune: {
        const auto& nc = ix.new_communes[m.entry.id];
        parts += add(nc.code, a.points, std::nullopt, false);
        if (parts == 0 && not_yet == nullptr) not_yet = &nc;
        break;
      }
      case Kind::kOldCommune: {
        const auto& oc = ix.old_communes[m.entry.id];
        if (before_reform && oc.version && oc.version->in_force_at(date)) {
          parts += add(oc.code, a.points, std::nullopt, true);
          break;
        }
        for (const Succession* s : oc.rows) {
          const Via via{oc.code, s->old_district_code, s->kind};
          parts += add(s->new_commune_code, a.points, via, false);
        }
        break;
      }
      case Kind::kOldDistrict: {
        const auto& d = ix.districts[m.entry.id];
        if (before_reform) {  // the district itself was in force
          parts += add(d.code, a.points, std::nullopt, true, Level::kDistrict);
          break;
        }
        if (!d.whole_rows.empty()) {
          for (const Succession* s : d.whole_rows) {
            const Via via{"", s->old_district_code, s->kind};
            parts += add(s->new_commune_code, a.points, via, false);
          }
          break;
        }
        for (const Succession* s : d.successors) {
          parts += add(s->new_commune_code, a.points, Via{"", d.code, s->kind}, false);
        }
        break;
      }
      default:
        break;
    }
    if (top == nullptr && parts > 0) {
      top = &a;
      // After the reform an old commune counts its parts; before it, it is itself.
      top_parts = m.entry.kind == Kind::kOldCommune && !before_reform
                      ? ix.old_communes[m.entry.id].rows.size()
                      : parts;
    }
  }

  if (out.candidates.empty()) {
    out.reason_vi = before_reform
                        ? "Đơn vị trong địa chỉ chưa có hiệu lực vào ngày đã chọn."
                        : "Đã nhận ra đơn vị cũ trong địa chỉ nhưng không có dữ liệu đơn vị mới "
                          "tiếp nhận nó; hãy ghi tên xã, phường mới.";
    out.reason_en = before_reform
                        ? "The unit in the address was not yet in force on the chosen date."
                        : "The old unit in the address was recognised but there is no record of "
                          "the new unit that took it over; give the new commune or ward.";
    if (not_yet != nullptr) {
      // Say which unit, from when, and which old units served its area before.
      out.reason_vi = "Đơn vị trong địa chỉ chưa có hiệu lực vào ngày đã chọn.";
      out.reason_en = "The unit in the address was not yet in force on the chosen date.";
      const auto versions = registry_.versions(not_yet->code);
      const UnitVersion* first = nullptr;
      for (const auto* v : versions) {
        if (v->level == Level::kCommune && !is_old_unit(*v)) {
          first = v;
          break;
        }
      }
      if (first != nullptr) {
        const std::string& from = first->valid_from;
        const std::string from_vi =
            from.size() == 10
                ? from.substr(8, 2) + "/" + from.substr(5, 2) + "/" + from.substr(0, 4)
                : from;
        out.reason_vi += " " + first->full_name + " có hiệu lực từ ngày " + from_vi;
        out.reason_en += " " + first->full_name + " is in force from " + from;
        out.predecessors = registry_.predecessors(not_yet->code, "");
        std::string names_vi, names_en;
        for (const auto& p : out.predecessors) {
          const char* sep = names_vi.empty() ? "" : ", ";
          names_vi += sep + p.old_name + (p.kind == "partial" ? " (một phần)" : "");
          names_en += sep + p.old_name + (p.kind == "partial" ? " (part)" : "");
        }
        if (!names_vi.empty()) {
          out.reason_vi += "; trước đó, địa bàn của đơn vị này thuộc: " + names_vi;
          out.reason_en += "; before that, its area belonged to: " + names_en;
        }
        out.reason_vi += ".";
        out.reason_en += ".";
      }
    }
    return out;
  }

  std::stable_sort(out.candidates.begin(), out.candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.score != b.score) return a.score > b.score;
                     return a.code < b.code;
                   });
  // Old districts the candidates came from, and the provinces they are in
  // now, counted before the list is cut: "Huyện Châu Thành" was a district
  // of eight provinces, and naming one of them would mislead the others.
  std::vector<std::string> districts_seen, provinces_now;
  for (const auto& c : out.candidates) {
    if (!c.via || c.via->old_district_code.empty() || !c.via->old_commune_code.empty()) continue;
    if (std::find(districts_seen.begin(), districts_seen.end(), c.via->old_district_code) ==
        districts_seen.end())
      districts_seen.push_back(c.via->old_district_code);
    if (std::find(provinces_now.begin(), provinces_now.end(), c.province_name) ==
        provinces_now.end())
      provinces_now.push_back(c.province_name);
  }
  if (out.candidates.size() > kMaxCandidates) out.candidates.resize(kMaxCandidates);
  for (auto& c : out.candidates) c.score = std::clamp(c.score / kBest, 0.05, 1.0);

  const Match& tm = *top->match;
  if (tm.entry.kind == Kind::kOldDistrict && districts_seen.size() > 1) {
    const auto& d = ix.districts[tm.entry.id];
    out.split = true;
    std::string where;
    for (const auto& p : provinces_now) where += (where.empty() ? "" : ", ") + p;
    const std::string n = std::to_string(districts_seen.size());
    out.reason_vi = "Có " + n + " huyện cũ tên " + d.full_name + ", nay thuộc " + where +
                    ". Hãy ghi thêm tỉnh (cũ hoặc mới) và xã, phường để chọn đúng một đơn vị.";
    out.reason_en = n + " old districts were named " + d.full_name + ", now in " + where +
                    ". Add the province (old or new) and the commune or ward to choose one.";
  } else if (tm.entry.kind == Kind::kOldDistrict && top_parts > 1) {
    const auto& d = ix.districts[tm.entry.id];
    out.split = true;
    const std::string n = std::to_string(top_parts);
    out.reason_vi = d.full_name + " (mã " + d.code + ") không còn; địa bàn đã được chia cho " + n +
                    " xã, phường mới. Cần biết xã, phường (cũ hoặc mới) trong địa chỉ để chọn "
                    "đúng một đơn vị.";
    out.reason_en = d.full_name + " (code " + d.code +
                    ") no longer exists; its area was divided between " + n +
                    " new communes or wards. The commune or ward (old or new name) is needed to "
                    "choose one.";
  } else if (tm.entry.kind == Kind::kOldCommune && top_parts > 1) {
    const auto& oc = ix.old_communes[tm.entry.id];
    out.split = true;
    const std::string n = std::to_string(top_parts);
    out.reason_vi = oc.full_name + " (mã " + oc.code + ") đã được chia cho " + n +
                    " xã, phường mới; cần đối chiếu địa chỉ cụ thể (thôn, tổ, số nhà, đường) với "
                    "phạm vi từng phần.";
    out.reason_en = oc.full_name + " (code " + oc.code + ") was divided between " + n +
                    " new communes; check the exact address (hamlet, group, house, street) "
                    "against each part.";
  } else {
    // Several equally good readings in different provinces: a name that repeats.
    std::size_t ties = 0;
    for (const auto& c : out.candidates) {
      if (c.score == out.candidates.front().score) ++ties;
    }
    if (ties > 1) {
      out.reason_vi =
          "Tên này có ở nhiều nơi; hãy ghi thêm quận/huyện (cũ) hoặc tỉnh/thành phố để "
          "chọn đúng.";
      out.reason_en =
          "This name exists in several places; add the (old) district or the province "
          "to choose.";
    }
  }
  return out;
}

}  // namespace motcua::units
