#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "http/error_table.hpp"

namespace motcua::http {
namespace {

TEST(HttpErrorTable, MapsEveryKindToItsStatus) {
  EXPECT_EQ(status_for(ErrorKind::kBadRequest), 400);
  EXPECT_EQ(status_for(ErrorKind::kUnauthorized), 401);
  EXPECT_EQ(status_for(ErrorKind::kForbidden), 403);
  EXPECT_EQ(status_for(ErrorKind::kNotFound), 404);
  EXPECT_EQ(status_for(ErrorKind::kConflict), 409);
  EXPECT_EQ(status_for(ErrorKind::kPreconditionFailed), 412);
  EXPECT_EQ(status_for(ErrorKind::kPayloadTooLarge), 413);
  EXPECT_EQ(status_for(ErrorKind::kUnsupportedMediaType), 415);
  EXPECT_EQ(status_for(ErrorKind::kUnprocessable), 422);
  EXPECT_EQ(status_for(ErrorKind::kPreconditionRequired), 428);
  EXPECT_EQ(status_for(ErrorKind::kTooManyRequests), 429);
  EXPECT_EQ(status_for(ErrorKind::kInternal), 500);
  EXPECT_EQ(status_for(ErrorKind::kUnavailable), 503);
  EXPECT_EQ(status_for(ErrorKind::kOutcomeUnknown), 504);
}

TEST(HttpErrorTable, AWriteOfUnknownOutcomeSaysHowToRetrySafely) {
  // The database went away at a commit: the write may stand, so "try again"
  // alone would make a second dossier.
  const Response r = problem(with_log_detail(outcome_unknown("Mất kết nối.", "Connection lost."),
                                             "host=db.internal port=5432"),
                             "/api/v1/dossiers");
  EXPECT_EQ(r.status, 504);
  const auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://motcua.vn/problems/write-outcome-unknown");
  EXPECT_EQ(body.at("title").as_string(), "Gateway timeout");
  const std::string en(body.at("detail").as_string());
  const std::string vi(body.at("detail_vi").as_string());
  EXPECT_EQ(en.rfind("Connection lost. ", 0), 0u) << en;
  EXPECT_NE(en.find("Before sending it again, check"), std::string::npos) << en;
  EXPECT_NE(vi.find("Idempotency-Key"), std::string::npos) << vi;
  EXPECT_EQ(r.body.find("db.internal"), std::string::npos) << r.body;  // the log's, not theirs
}

TEST(HttpErrorTable, ProblemHasTheRfc9457ShapeInBothLanguages) {
  const Response r = problem(make_error(ErrorKind::kConflict, "Hồ sơ đã được tiếp nhận.",
                                        "The dossier was already received.", "state"),
                             "/api/v1/dossiers/X-1");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.content_type, "application/problem+json");
  const auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://motcua.vn/problems/conflict");
  EXPECT_EQ(body.at("title").as_string(), "Conflict");
  EXPECT_EQ(body.at("title_vi").as_string(), "Xung đột trạng thái");
  EXPECT_EQ(body.at("status").as_int64(), 409);
  EXPECT_EQ(body.at("detail").as_string(), "The dossier was already received.");
  EXPECT_EQ(body.at("detail_vi").as_string(), "Hồ sơ đã được tiếp nhận.");
  EXPECT_EQ(body.at("instance").as_string(), "/api/v1/dossiers/X-1");
  EXPECT_EQ(body.at("param").as_string(), "state");
}

TEST(HttpErrorTable, ParamIsLeftOutWhenUnset) {
  const Response r = problem(make_error(ErrorKind::kNotFound, "Không thấy.", "Not there."), "/x");
  EXPECT_FALSE(boost::json::parse(r.body).as_object().contains("param"));
}

TEST(HttpErrorTable, EscapesTextIntoValidJson) {
  const Response r = problem(
      make_error(ErrorKind::kBadRequest, "\"trích\" \\ dẫn\n", "quote \" and \\\n"), "/a\"b");
  const auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("detail").as_string(), "quote \" and \\\n");
  EXPECT_EQ(body.at("instance").as_string(), "/a\"b");
}

TEST(HttpErrorTable, WhatIsQuotedBackIsMadeUtf8) {
  // A path of %FF, or a code read from a CSV row of other bytes: the answer
  // quoted them as they came and was no longer JSON a client could read.
  Error e = make_error(ErrorKind::kBadRequest, "Dòng 1 (\xff\xfe): sai", "Row 1 (\xff\xfe): wrong");
  e.param = "rows[1].\xff";
  const Response r = problem(e, "/api/v1/procedures/\xff/retire");
  const auto body =
      boost::json::parse(r.body).as_object();  // parse refuses bytes that are not UTF-8
  EXPECT_EQ(body.at("detail").as_string(), "Row 1 (\uFFFD\uFFFD): wrong");
  EXPECT_EQ(body.at("detail_vi").as_string(), "Dòng 1 (\uFFFD\uFFFD): sai");
  EXPECT_EQ(body.at("instance").as_string(), "/api/v1/procedures/\uFFFD/retire");
  EXPECT_EQ(body.at("param").as_string(), "rows[1].\uFFFD");
}

TEST(HttpErrorTable, InternalErrorsDoNotLeakTheirDetail) {
  const Response r = problem(
      make_error(ErrorKind::kInternal, "lỗi SQL bí mật", "SQLITE_CORRUPT at page 7"), "/api/x");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("SQLITE"), std::string::npos);
  EXPECT_EQ(r.body.find("bí mật"), std::string::npos);
  const auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://motcua.vn/problems/internal");
  EXPECT_FALSE(body.at("detail").as_string().empty());
  EXPECT_FALSE(body.at("detail_vi").as_string().empty());
}

TEST(HttpErrorTable, ExplicitStatusForAnswersWithoutAKind) {
  const Response r = problem(431, "request-header-fields-too-large",
                             make_error(ErrorKind::kBadRequest, "quá lớn", "too large"), "");
  EXPECT_EQ(r.status, 431);
  const auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("status").as_int64(), 431);
  EXPECT_EQ(body.at("title").as_string(), "Request header fields too large");
}

TEST(HttpErrorTable, JsonResponse) {
  const Response r = json_response(201, R"({"ok":true})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"ok":true})");
}

}  // namespace
}  // namespace motcua::http
