// CalendarService::refresh(): taking the calendars another process stored.
// What this process counted with its old calendars must be marked for a
// recount even if it stops right after publishing the new ones: so a mark is
// written before they are published, and another after (for the writes that
// were in flight meanwhile).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "services/calendar_service.hpp"
#include "services/unit_service.hpp"
#include "store/calendar_store.hpp"

namespace motcua {
namespace {

using calendar::TimeOfDay;

// The store another process writes to: rows in memory, and a hook on each mark.
struct SharedCalendarStore final : store::CalendarStore {
  std::vector<store::UnitCalendarSettingsRecord> settings;
  std::function<Result<void>(const std::string&)> on_mark = [](const std::string&) { return ok(); };

  Result<std::vector<store::YearOverridesRecord>> year_overrides() override {
    return std::vector<store::YearOverridesRecord>();
  }
  Result<void> put_year_overrides(const store::YearOverridesRecord&, const std::string&) override {
    return ok();
  }
  Result<std::vector<store::UnitCalendarSettingsRecord>> unit_settings() override {
    return settings;
  }
  Result<void> put_unit_settings(const store::UnitCalendarSettingsRecord& r,
                                 const std::string&) override {
    settings = {r};
    return ok();
  }
  Result<void> mark_counters(const std::string& mark) override { return on_mark(mark); }
};

services::UnitService one_province() {
  units::ReferenceData data;
  data.versions.push_back({"01", units::Level::kProvince, "", "", "Hà Nội", "Thành phố Hà Nội", "",
                           "", "thanh_pho_tw", "2025-07-01", ""});
  return services::UnitService(std::move(data));
}

// Another process's hours for the province: the morning starts at 8:00.
store::UnitCalendarSettingsRecord later_morning() {
  store::UnitCalendarSettingsRecord r;
  r.unit_code = "01";
  r.hours.morning_start = TimeOfDay::hm(8, 0);
  r.changed_by = "other-process-admin";
  r.changed_at = calendar::Instant{1767225600};
  return r;
}

class CalendarRefreshTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = services::CalendarService::create(store_, units_);
    ASSERT_TRUE(c.ok());
    service_ = std::move(*c);
    store_.on_mark = [this](const std::string& mark) -> Result<void> {
      marks_.push_back(mark);
      seen_.push_back(morning_start());
      if (fail_marks_ > 0) {
        --fail_marks_;
        return make_error(ErrorKind::kUnavailable, "Cơ sở dữ liệu bận.", "The database is busy.");
      }
      return ok();
    };
  }

  // The province's morning start this process counts with now.
  int morning_start() const {
    auto s = service_->unit_settings("01");
    return s.ok() ? s->settings.hours.morning_start.minutes : -1;
  }

  services::UnitService units_ = one_province();
  SharedCalendarStore store_;
  std::unique_ptr<services::CalendarService> service_;
  std::vector<std::string> marks_;
  std::vector<int> seen_;  // the morning start in force at each mark
  int fail_marks_ = 0;
};

TEST_F(CalendarRefreshTest, MarksTheCountersBeforeAndAfterPublishing) {
  const int before = morning_start();
  ASSERT_EQ(before, TimeOfDay::hm(7, 30).minutes);
  store_.settings = {later_morning()};

  auto r = service_->refresh();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  EXPECT_EQ(morning_start(), TimeOfDay::hm(8, 0).minutes);
  // The first mark while the old hours were still in force: left even if the
  // process had stopped once it published.
  ASSERT_EQ(marks_.size(), 2u);
  EXPECT_EQ(seen_[0], before);
  EXPECT_EQ(seen_[1], TimeOfDay::hm(8, 0).minutes);
  EXPECT_NE(marks_[0], marks_[1]);  // a recount clears only the marks it saw

  // Nothing changed since: no publishing, no mark.
  auto again = service_->refresh();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_EQ(marks_.size(), 2u);
}

TEST_F(CalendarRefreshTest, PublishesNothingUntilItsFirstMarkIsWritten) {
  store_.settings = {later_morning()};
  fail_marks_ = 1;
  auto r = service_->refresh();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(morning_start(), TimeOfDay::hm(7, 30).minutes);  // still the old hours

  auto retried = service_->refresh();
  ASSERT_TRUE(retried.ok());
  EXPECT_TRUE(*retried);
  EXPECT_EQ(morning_start(), TimeOfDay::hm(8, 0).minutes);
  EXPECT_EQ(marks_.size(), 3u);  // the failed one, then before and after
}

TEST_F(CalendarRefreshTest, AMarkNotWrittenAfterPublishingIsWrittenNextTime) {
  store_.settings = {later_morning()};
  store_.on_mark = [this, inner = store_.on_mark](const std::string& mark) -> Result<void> {
    if (marks_.size() == 1) fail_marks_ = 1;  // the second (after publishing) fails
    return inner(mark);
  };
  auto r = service_->refresh();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(morning_start(), TimeOfDay::hm(8, 0).minutes);  // published
  ASSERT_EQ(marks_.size(), 2u);

  auto next = service_->refresh();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(*next);  // nothing new to publish
  ASSERT_EQ(marks_.size(), 3u);
  EXPECT_EQ(marks_[2], marks_[1]);  // the owed mark, the same one
}

}  // namespace
}  // namespace motcua
