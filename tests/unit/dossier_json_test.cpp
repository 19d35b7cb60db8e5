// A dossier's stored body: written by dossier_json_text, read back by
// dossier_from_json (streamed, dossier_json_read.cpp). Every field survives
// the round trip, strings with escapes and of any length among them; a body
// with members of other types or unknown ones still reads, keeping defaults;
// a body that is not a JSON object, or names no known state or channel, is
// corrupt.
#include "services/dossier_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <random>
#include <string>

namespace motcua::services {
namespace {

using calendar::Instant;
using namespace dossier;

class Draw {
 public:
  explicit Draw(unsigned seed) : rng_(seed) {}
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool coin() { return below(2) == 0; }
  // Text with what needs escaping: quotes, backslashes, control characters,
  // Vietnamese; now and then long enough for the parser to hand it in parts.
  std::string text() {
    static const char* pieces[] = {"a", "Nguyễn", "\"",  "\\", "\n", "\t", "\x01", "/",
                                   "đ", "ộ",      "x y", "{",  "}",  "[",  ":",    ","};
    std::string out;
    const int n = below(10) == 0 ? 3000 + below(3000) : below(12);
    for (int i = 0; i < n; ++i) out += pieces[below(16)];
    return out;
  }
  Instant time() { return Instant{1'700'000'000 + below(100'000'000)}; }
  std::optional<Instant> maybe_time() {
    if (coin()) return std::nullopt;
    return time();
  }
  // form_data as the API keeps it: json::serialize of what was posted.
  boost::json::value form(int depth = 0) {
    switch (depth > 2 ? below(5) : below(7)) {
      case 0:
        return boost::json::value(text());
      case 1:
        return boost::json::value(static_cast<std::int64_t>(below(2'000'000)) - 1'000'000);
      case 2:
        return boost::json::value(below(1000) / 7.0);
      case 3:
        return boost::json::value(coin());
      case 4:
        return boost::json::value(nullptr);
      case 5: {
        boost::json::object o;
        for (int i = below(4); i > 0; --i) o[text()] = form(depth + 1);
        return o;
      }
      default: {
        boost::json::array a;
        for (int i = below(4); i > 0; --i) a.push_back(form(depth + 1));
        return a;
      }
    }
  }

  Dossier dossier() {
    Dossier d;
    d.id = text();
    d.code = text();
    d.bundle_id = text();
    d.procedure_code = text();
    d.procedure_version = text();
    d.receiving_unit = text();
    d.competent_unit = text();
    d.province_wide = coin();
    d.channel = static_cast<Channel>(below(4));
    d.applicant = {coin() ? ApplicantKind::kPerson : ApplicantKind::kBusiness,
                   text(),
                   text(),
                   text(),
                   text(),
                   text(),
                   text()};
    d.applicant_user_id = text();
    d.form_data_json =
        boost::json::serialize(coin() ? boost::json::value(boost::json::object()) : form());
    for (int i = below(4); i > 0; --i) {
      d.components.push_back({text(), static_cast<ProvidedForm>(below(4)), text(), below(5)});
    }
    for (int i = below(3); i > 0; --i) {
      d.fees.push_back({text(), below(1'000'000), coin(), coin(), maybe_time(), text()});
    }
    d.state = static_cast<State>(below(static_cast<int>(State::kWithdrawn) + 1));
    d.resume_state = static_cast<State>(below(static_cast<int>(State::kWithdrawn) + 1));
    d.assignee = text();
    d.created_at = maybe_time();
    d.submitted_at = maybe_time();
    d.received_at = maybe_time();
    d.clock_start = maybe_time();
    d.due_at = maybe_time();
    d.finished_at = maybe_time();
    d.returned_at = maybe_time();
    for (int i = below(4); i > 0; --i) {
      SupplementRequest r{time(), text(), {}, text(), coin(), maybe_time()};
      for (int k = below(3); k > 0; --k) r.missing.push_back(text());
      d.supplements.push_back(r);
    }
    for (int i = below(3); i > 0; --i) {
      d.apologies.push_back({time(), text(), text(), time(), time(), text()});
    }
    d.refusal_reason = text();
    d.withdrawal_reason = text();
    if (coin()) {
      std::optional<Delivery> delivery;
      if (coin()) delivery = static_cast<Delivery>(below(3));
      d.result =
          DossierResult{text(), text(),      static_cast<ResultForm>(below(2)), time(), delivery,
                        text(), maybe_time()};
    }
    d.digitised = coin();
    if (coin()) d.rating = Rating{1 + below(5), text(), time()};
    return d;
  }

 private:
  std::mt19937 rng_;
};

TEST(DossierJson, EveryFieldComesBackAsItWasWritten) {
  Draw draw(20261205);
  int long_strings = 0, with_form = 0;
  for (int i = 0; i < 400; ++i) {
    const Dossier d = draw.dossier();
    const std::string body = dossier_json_text(d);
    auto back = dossier_from_json(body);
    ASSERT_TRUE(back.ok()) << back.error().message_en << "\n" << body.substr(0, 300);
    // The writer writes every field: the same text is the same dossier.
    ASSERT_EQ(dossier_json_text(*back), body) << i;
    EXPECT_EQ(back->form_data_json, d.form_data_json);
    EXPECT_EQ(back->supplements.size(), d.supplements.size());
    long_strings += body.size() > 3000 ? 1 : 0;
    with_form += d.form_data_json != "{}" ? 1 : 0;
  }
  // The draws reached strings the parser hands in parts, and forms.
  EXPECT_GT(long_strings, 50);
  EXPECT_GT(with_form, 50);
}

TEST(DossierJson, LongEscapedKeysAndStringsInTheFormComeWhole) {
  Dossier d;
  std::string key(5000, 'k'), value;
  key += "\"\\\n";
  for (int i = 0; i < 3000; ++i) value += "ộ\"\\\t";
  boost::json::object form;
  form[key] = value;
  form["n"] = boost::json::array{1, -2, 3.25, "x", nullptr, true};
  d.form_data_json = boost::json::serialize(form);
  d.applicant.name = value;
  auto back = dossier_from_json(dossier_json_text(d));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->form_data_json, d.form_data_json);
  EXPECT_EQ(back->applicant.name, value);
}

TEST(DossierJson, OtherTypesAndUnknownMembersKeepTheDefaults) {
  const std::string body =
      R"({"id":"HS1","code":7,"channel":"post","state":"received","resume_state":"draft",)"
      R"("extra":{"id":"not this","components":[{"component_id":"no"}]},"more":[[1],{"a":[]}],)"
      R"("applicant":["x"],"form_data":12,"components":["x",{"component_id":"c1","quantity":"3"},)"
      R"({"component_id":"c2","quantity":2,"form":"nonsense","extra":[1,{"b":2}]}],)"
      R"("fees":{"name":"x"},"supplements":[{"requested_at":5,"missing":["a",1,["b"],"c"],)"
      R"("after_receipt":"yes"}],"result":"none","rating":{"score":4.5,"comment":"ok"},)"
      R"("due_at":"not a time","digitised":1,"province_wide":true})";
  auto d = dossier_from_json(body);
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  EXPECT_EQ(d->id, "HS1");
  EXPECT_EQ(d->code, "");
  EXPECT_EQ(d->channel, Channel::kPost);
  EXPECT_EQ(d->state, State::kReceived);
  EXPECT_EQ(d->applicant.name, "");
  EXPECT_EQ(d->form_data_json, "12");
  ASSERT_EQ(d->components.size(), 2u);
  EXPECT_EQ(d->components[0].component_id, "c1");
  EXPECT_EQ(d->components[0].quantity, 0);
  EXPECT_EQ(d->components[1].quantity, 2);
  EXPECT_EQ(d->components[1].form, ProvidedForm::kUploadedFile);
  EXPECT_TRUE(d->fees.empty());
  ASSERT_EQ(d->supplements.size(), 1u);
  EXPECT_EQ(d->supplements[0].requested_at, Instant{});
  EXPECT_EQ(d->supplements[0].missing, (std::vector<std::string>{"a", "c"}));
  EXPECT_FALSE(d->supplements[0].after_receipt);
  EXPECT_FALSE(d->result.has_value());
  ASSERT_TRUE(d->rating.has_value());
  EXPECT_EQ(d->rating->score, 0);
  EXPECT_EQ(d->rating->comment, "ok");
  EXPECT_FALSE(d->due_at.has_value());
  EXPECT_FALSE(d->digitised);
  EXPECT_TRUE(d->province_wide);
  // A form that is null or text is kept as its JSON.
  auto null_form = dossier_from_json(
      R"({"channel":"online","state":"draft","resume_state":"draft","form_data":null})");
  ASSERT_TRUE(null_form.ok());
  EXPECT_EQ(null_form->form_data_json, "null");
  auto text_form = dossier_from_json(
      R"({"channel":"online","state":"draft","resume_state":"draft","form_data":"a\"b"})");
  ASSERT_TRUE(text_form.ok());
  EXPECT_EQ(text_form->form_data_json, R"("a\"b")");
}

TEST(DossierJson, ABodyThatIsNotADossierIsCorrupt) {
  for (const char* body :
       {"", "[]", "[{\"channel\":\"online\",\"state\":\"draft\",\"resume_state\":\"draft\"}]",
        "\"x\"", "12", "{", R"({"channel":"online","state":"draft","resume_state":"draft"} x)",
        R"({"channel":"online","state":"draft"})",
        R"({"channel":"fax","state":"draft",)"
        R"("resume_state":"draft"})",
        "{\"channel\":\"online\",\"state\":\"draft\",\"resume_state\":\"draft\",\"id\":"
        "\"\xff\"}"}) {
    auto d = dossier_from_json(body);
    ASSERT_FALSE(d.ok()) << body;
    EXPECT_EQ(d.error().kind, ErrorKind::kInternal) << body;
  }
  EXPECT_TRUE(
      dossier_from_json(R"( {"channel":"online","state":"draft","resume_state":"draft"} )").ok());
}

}  // namespace
}  // namespace motcua::services
