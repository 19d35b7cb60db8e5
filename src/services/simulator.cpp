#include "services/simulator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <sys/resource.h>
#include <unistd.h>

#include "common/dates.hpp"
#include "common/thread_name.hpp"
#include "domain/dossier/dossier_code.hpp"
#include "domain/dossier/state_machine.hpp"
#include "domain/stats/contribution.hpp"
#include "services/dossier_figures.hpp"
#include "services/dossier_json.hpp"
#include "services/dossier_service.hpp"

namespace motcua::services {
namespace {

using calendar::Instant;
using dossier::Action;
using dossier::Dossier;
using dossier::Role;

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = calendar::kSecondsPerDay;
constexpr int kGeneratorNice = 5;  // the generating thread's niceness (lower priority)

Instant plus(Instant t, std::int64_t seconds) { return Instant{t.epoch_seconds + seconds}; }

struct Proc {
  const catalog::Procedure* procedure;
  std::string version;
  std::vector<dossier::RequiredComponent> required;
  int amount = 1;
  DueKind kind = DueKind::kWorkingDays;
  std::int64_t fee = 0;
};

struct Commune {
  std::string code;
  std::string agency;
  double size = 1;  // how busy, against the mean
  // Its staff, made once rather than for each of its dossiers.
  dossier::Actor officer, specialist, leader;
};

Commune commune_of(const std::string& code, std::string agency, double size) {
  return {code,
          std::move(agency),
          size,
          {"sim-officer-" + code, Role::kReceivingOfficer, code},
          {"sim-specialist-" + code, Role::kSpecialist, code},
          {"sim-leader-" + code, Role::kLeader, code}};
}

// Which procedures a commune receives: the catalog's commune-level ones with
// a processing time, the first few popular (Zipf weights).
std::vector<Proc> procedures_of(const CatalogSnapshot& catalog) {
  std::vector<Proc> out;
  for (const auto& pv : catalog.index.all()) {
    const auto& p = pv.procedure;
    if (pv.retired) continue;
    if (p.competent_level != "commune") continue;
    const catalog::Channel* ch = nullptr;
    for (const auto& c : p.channels) {
      if (!ch && c.time_amount) ch = &c;
    }
    if (!ch) continue;
    Proc proc{&p, std::to_string(pv.version), required_components(p), *ch->time_amount,
              ch->time_unit == "working_hours"   ? DueKind::kWorkingHours
              : ch->time_unit == "calendar_days" ? DueKind::kCalendarDays
                                                 : DueKind::kWorkingDays,
              ch->fee_vnd.value_or(0)};
    out.push_back(std::move(proc));
  }
  return out;
}

class Life {
 public:
  Life(std::mt19937_64& rng, const CalendarService& calendar, Instant end)
      : rng_(rng), calendar_(calendar), end_(end) {}

  double uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  // One dossier received at `at` by commune `c`, lived until `end_`.
  // `next_number`: the commune's next receipt number of the day, taken only
  // by a dossier received (one still waiting at the end takes none).
  Result<void> live(const Commune& c, const Proc& p, dossier::Channel channel, Instant at,
                    const std::string& id, std::int64_t& next_number, Dossier& d,
                    std::vector<dossier::Event>& events) {
    d = Dossier{};
    d.id = id;
    d.procedure_code = p.procedure->code;
    d.procedure_version = p.version;
    d.competent_unit = c.code;
    d.receiving_unit = c.code;
    d.channel = channel;
    d.applicant.kind = dossier::ApplicantKind::kPerson;
    d.applicant.name = "Người dân mô phỏng";
    char idn[40];
    std::snprintf(idn, sizeof idn, "001%d%02d%06d", static_cast<int>(uniform() * 2),
                  50 + static_cast<int>(uniform() * 50), static_cast<int>(uniform() * 999999));
    d.applicant.id_number = idn;
    d.applicant.address = "Địa chỉ mô phỏng";
    d.form_data_json = "{}";
    // Digitised (the receipt works it out from the papers): every paper
    // electronic, as an online filing's are, and 60% of the others'.
    const bool digitised = channel == dossier::Channel::kOnline || uniform() < 0.6;
    for (const auto& r : p.required) {
      if (r.requirement == dossier::Requirement::kConditional) continue;
      dossier::ComponentProvided cp;
      cp.component_id = r.id;
      cp.quantity = r.quantity;
      cp.form = digitised ? dossier::ProvidedForm::kElectronicOriginal
                          : dossier::ProvidedForm::kPaperOriginal;
      d.components.push_back(cp);
    }
    // Due at filing; paid by the actions real fees are paid by: online
    // through the platform after submission (70% of online filers), else at
    // the desk after receipt.
    bool pays_online = false;
    if (p.fee > 0) {
      dossier::Fee f;
      f.name = "Lệ phí";
      f.amount_vnd = p.fee;
      pays_online = channel == dossier::Channel::kOnline && uniform() < 0.7;
      d.fees.push_back(f);
    }
    d.created_at = at;
    events.clear();
    events.reserve(12);  // a long life; growing it moved every event

    const dossier::Actor& citizen = citizen_;
    const dossier::Actor& officer = c.officer;
    const dossier::Actor& specialist = c.specialist;
    const dossier::Actor& leader = c.leader;

    Instant t = at;
    if (channel == dossier::Channel::kOnline) {
      d.applicant_user_id = "sim-citizen";
      if (auto s = step(d, Action::kSubmit, citizen, t, {}, events); !s) return s;
      if (pays_online && plus(t, 120) <= end_) {
        dossier::ActionPayload paid;
        paid.receipt = "GD-" + id;
        paid.amount_vnd = p.fee;
        if (auto s = step(d, Action::kPayOnline, platform_, plus(t, 120), paid, events); !s)
          return s;
      }
      t = plus(t, static_cast<std::int64_t>((0.2 + uniform() * 3) * kHour));
    }
    if (t > end_) return ok();
    auto numbered = dossier::format_dossier_code(c.agency, at, next_number);
    if (!numbered) return numbered.error();
    ++next_number;
    const std::string& code = *numbered;
    dossier::ActionPayload receive;
    receive.code = code;
    receive.required = p.required;
    auto due = calendar_.due(c.code, t, p.amount, p.kind);
    if (!due) return due.error();
    auto start = calendar_.clock_start(c.code, t, p.kind);
    if (!start) return start.error();
    receive.due_at = *due;
    receive.clock_start = *start;
    if (auto s = step(d, Action::kReceive, officer, t, receive, events); !s) return s;
    if (p.fee > 0 && !pays_online && plus(t, 60) <= end_) {
      dossier::ActionPayload paid;
      paid.receipt = "BL-" + code;
      if (auto s = step(d, Action::kPay, officer, plus(t, 60), paid, events); !s) return s;
    }
    const std::int64_t span = std::max<std::int64_t>(kHour, due->epoch_seconds - t.epoch_seconds);

    if (uniform() < 0.01) {  // withdrawn by the applicant
      t = plus(t, static_cast<std::int64_t>(uniform() * span * 0.3));
      if (t > end_) return ok();
      dossier::ActionPayload w;
      w.note = "Người dân rút hồ sơ";
      return step(d, Action::kWithdraw, officer, t, w, events);
    }
    t = plus(t, static_cast<std::int64_t>((0.05 + uniform() * 0.1) * span));
    if (t > end_) return ok();
    dossier::ActionPayload assign;
    assign.assignee = specialist.user_id;
    if (auto s = step(d, Action::kAssign, leader, t, assign, events); !s) return s;

    // Supplements: 8% once, a fifth of those twice (late whatever happens).
    const double roll = uniform();
    const int supplements = p.required.empty() ? 0 : roll < 0.016 ? 2 : roll < 0.08 ? 1 : 0;
    for (int i = 0; i < supplements; ++i) {
      t = plus(t, static_cast<std::int64_t>((0.05 + uniform() * 0.2) * span));
      auto more = ask_and_bring(d, p, specialist, officer, t, events);
      if (!more) return more.error();
      if (!*more) return ok();
    }
    if (uniform() < 0.02) {  // refused after examination
      t = plus(t, static_cast<std::int64_t>(uniform() * span * 0.5));
      if (t > end_) return ok();
      dossier::ActionPayload r;
      r.note = "Không đủ điều kiện theo quy định";
      return step(d, Action::kRefuse, leader, t, r, events);
    }
    // The decision: most well inside the time, some late.
    const bool late = uniform() < 0.06;
    const auto due_now = d.due_at->epoch_seconds;
    // A quarter of the late ones find a paper missing only after the due
    // time: a pause that moves nothing, and waits while already overdue.
    if (late && supplements == 0 && !p.required.empty() && uniform() < 0.25) {
      t = Instant{std::max(t.epoch_seconds, due_now) +
                  static_cast<std::int64_t>((0.1 + uniform()) * kDay)};
      auto more = ask_and_bring(d, p, specialist, officer, t, events);
      if (!more) return more.error();
      if (!*more) return ok();
    }
    // Late: after the due time, and after whatever came before (a late
    // supplement, or supplements that took past it).
    const std::int64_t finish =
        late ? std::max(due_now, t.epoch_seconds) +
                   static_cast<std::int64_t>((0.2 + uniform() * 3) * kDay)
             : t.epoch_seconds +
                   static_cast<std::int64_t>((0.2 + uniform() * 0.7) *
                                             static_cast<double>(std::max<std::int64_t>(
                                                 kHour, due_now - t.epoch_seconds)));
    const std::int64_t gap = std::max<std::int64_t>(600, (finish - t.epoch_seconds) / 4);
    t = Instant{finish - 2 * gap};
    if (t > end_) return ok();
    if (auto s = step(d, Action::kPropose, specialist, t, {}, events); !s) return s;
    t = Instant{finish - gap};
    if (t > end_) return ok();
    if (auto s = step(d, Action::kApprove, leader, t, {}, events); !s) return s;
    t = Instant{finish};
    if (t > end_) return ok();
    dossier::ActionPayload issue;
    dossier::DossierResult result;
    result.number = "KQ-" + code;
    result.form = uniform() < 0.5 ? dossier::ResultForm::kElectronic : dossier::ResultForm::kPaper;
    result.issued_at = t;
    if (result.form == dossier::ResultForm::kElectronic) result.file_ref = "sim-" + code + ".pdf";
    issue.result = result;
    if (auto s = step(d, Action::kIssueResult, specialist, t, issue, events); !s) return s;
    t = plus(t, static_cast<std::int64_t>((0.1 + uniform() * 2) * kDay));
    if (t > end_) return ok();
    dossier::ActionPayload give;
    give.delivery = result.form == dossier::ResultForm::kElectronic ? dossier::Delivery::kElectronic
                                                                     : dossier::Delivery::kCounter;
    if (auto s = step(d, Action::kReturnResult, officer, t, give, events); !s) return s;
    if (uniform() < 0.4) {
      t = plus(t, static_cast<std::int64_t>(uniform() * kDay));
      if (t > end_) return ok();
      const double r = uniform();
      if (d.applicant_user_id.empty()) return ok();  // counter applicants rate at a kiosk, not here
      dossier::ActionPayload rate;
      rate.score = r < 0.6 ? 5 : r < 0.85 ? 4 : r < 0.95 ? 3 : r < 0.98 ? 2 : 1;
      if (auto s = step(d, Action::kRate, citizen, t, rate, events); !s) return s;
    }
    return ok();
  }

 private:
  // Asks at `t` for the first required paper (`p` requires one), which the
  // applicant brings some days later, `t` then. False if the history ends
  // before either: the dossier is left as it is.
  Result<bool> ask_and_bring(Dossier& d, const Proc& p, const dossier::Actor& specialist,
                             const dossier::Actor& officer, Instant& t,
                             std::vector<dossier::Event>& events) {
    if (t > end_) return false;
    dossier::ActionPayload ask;
    ask.missing = {"Bản sao giấy tờ còn thiếu"};
    if (auto s = step(d, Action::kRequestSupplement, specialist, t, ask, events); !s)
      return s.error();
    t = plus(t, static_cast<std::int64_t>((0.5 + uniform() * 4) * kDay));
    if (t > end_) return false;
    dossier::ActionPayload brought;
    dossier::ComponentProvided cp;
    cp.component_id = p.required.front().id;
    // Brought as the dossier's other papers are: electronic if it is digitised.
    cp.form = d.digitised ? dossier::ProvidedForm::kElectronicOriginal
                          : dossier::ProvidedForm::kPaperCopy;
    brought.components.push_back(cp);
    if (auto s = step(d, Action::kSupplement, officer, t, brought, events); !s) return s.error();
    return true;
  }

  Result<void> step(Dossier& d, Action a, const dossier::Actor& actor, Instant t,
                    const dossier::ActionPayload& payload, std::vector<dossier::Event>& events) {
    auto event = dossier::apply_in_place(d, a, actor, t, payload);
    if (!event) return event.error();
    events.push_back(std::move(*event));
    return ok();
  }

  std::mt19937_64& rng_;
  const CalendarService& calendar_;
  Instant end_;
  const dossier::Actor citizen_{"sim-citizen", Role::kCitizen, ""};
  const dossier::Actor platform_{"payment-platform", Role::kPaymentPlatform, ""};
};

// Monday busiest, Friday quieter, a weekend day worked (if any) quieter still.
double weekday_factor(calendar::CivilDate d) {
  switch (calendar::weekday(d)) {
    case calendar::Weekday::kMonday: return 1.25;
    case calendar::Weekday::kTuesday: return 1.1;
    case calendar::Weekday::kWednesday: return 1.0;
    case calendar::Weekday::kThursday: return 0.95;
    case calendar::Weekday::kFriday: return 0.85;
    default: return 0.5;
  }
}

std::string yymmdd(std::int64_t day) {
  const auto date = calendar::civil_from_days(day);
  char out[8];
  std::snprintf(out, sizeof out, "%02d%02d%02d", date.year % 100, date.month, date.day);
  return out;
}

}  // namespace

Result<SimulationReport> simulate(store::DossiersStore& store, const UnitService& units,
                                  const CatalogService& catalog, const CalendarService& calendar,
                                  const ProvinceOf& province_of, const SimulationOptions& o,
                                  const std::function<void(std::int64_t)>& progress) {
  const auto started = std::chrono::steady_clock::now();
  // "VN": every province, lived week by week together (see the plan below).
  const bool nation = o.province == "VN";
  const auto* province = nation ? nullptr : units.registry().at(o.province, vn_today());
  if (!nation && (!province || province->level != units::Level::kProvince)) {
    return make_error(ErrorKind::kBadRequest, "Không có tỉnh, thành phố mã '" + o.province + "'.",
                      "There is no province with code '" + o.province + "'.", "province");
  }
  if (o.days < 1 || o.days > 3700) {
    return make_error(ErrorKind::kBadRequest, "Số ngày phải từ 1 đến 3700.",
                      "The number of days must be from 1 to 3700.", "days");
  }
  const auto snapshot = catalog.snapshot();
  const auto procs = procedures_of(*snapshot);
  if (procs.empty()) {
    return make_error(ErrorKind::kUnprocessable, "Danh mục chưa có thủ tục cấp xã có thời hạn.",
                      "The catalog has no commune-level procedure with a processing time.",
                      "catalog");
  }
  std::mt19937_64 rng(o.seed);
  std::vector<double> weights;
  for (std::size_t i = 0; i < procs.size(); ++i) weights.push_back(1.0 / static_cast<double>(i + 1));
  std::discrete_distribution<std::size_t> pick_proc(weights.begin(), weights.end());

  std::vector<Commune> communes;
  units::UnitQuery q;
  q.level = units::Level::kCommune;
  q.province = nation ? "" : o.province;
  q.at = vn_today();
  q.limit = 1000;
  for (;;) {
    auto page = units.registry().search(q);
    for (const auto* v : page.items) {
      communes.push_back(commune_of(v->code, DossierService::default_agency_code(*v),
                                    std::exp(std::normal_distribution<double>(0, 0.4)(rng))));
    }
    if (page.next_cursor.empty()) break;
    q.after = page.next_cursor;
  }

  const auto calendars = calendar.snapshot();
  Life life(rng, calendar, o.end);
  SimulationReport report;
  const std::int64_t last_day = calendar::local_day_number(o.end);
  const std::int64_t first_day = last_day - o.days + 1;
  std::uint64_t id_counter = rng();
  static constexpr char kHex[] = "0123456789abcdef";

  // One transaction per chunk of dossiers, filled commune-day by commune-day
  // in the plan's order.
  struct Planned {
    const Commune* commune;
    std::int64_t day;
    int count;
  };
  std::vector<Planned> plan;
  for (std::int64_t day = first_day; day <= last_day; ++day) {
    const auto date = calendar::civil_from_days(day);
    // After a long break (Tết): a week of fewer dossiers.
    int off = 0;
    for (std::int64_t k = 1; k <= 9; ++k) {
      const auto prev = calendar::civil_from_days(day - k);
      if (!calendars->default_calendar().is_working_day(prev) &&
          calendar::weekday(prev) < calendar::Weekday::kSaturday) {
        ++off;
      }
    }
    const double dip = off >= 3 ? 0.55 : 1.0;
    // Online grows across the history, as the country pushes towards 70%.
    for (const auto& c : communes) {
      auto cal = calendars->calendar_for(c.code, calendar::to_instant(date, 12 * 3600));
      if (!cal || !(*cal)->is_working_day(date)) continue;
      const double mean = o.per_day * c.size * weekday_factor(date) * dip;
      const int n = std::poisson_distribution<int>(mean)(rng);
      if (n > 0) plan.push_back({&c, day, n});
    }
  }

  // Lived week by week, and within a week commune by commune. A chunk then
  // covers a few communes' days, so each commune-day's counters are written
  // in one or two chunks rather than in every chunk until its dossiers are
  // finished (40% fewer upserts), and the indexes by unit and code take
  // their rows in runs: 17% more dossiers a second than day by day. Rows
  // still arrive in time order from one week to the next.
  std::stable_sort(plan.begin(), plan.end(), [&](const Planned& a, const Planned& b) {
    const std::int64_t week_a = (a.day - first_day) / 7, week_b = (b.day - first_day) / 7;
    return week_a != week_b ? week_a < week_b : a.commune < b.commune;
  });
  // Every receipt number the plan may need, taken in one transaction up
  // front: the writer then only inserts, and a generator may run ahead of
  // it. The received dossiers take them in turn; those left (dossiers not
  // yet received at the end, a simulation stopped midway) are given back at
  // the end, so that the codes stay gap-free (audit verify checks them).
  std::vector<std::int64_t> firsts(plan.size());
  std::vector<std::int64_t> used(plan.size(), 0);  // by the generator, read after it
  auto reserved = store.write([&](store::DossierTxn& txn) -> Result<void> {
    for (std::size_t i = 0; i < plan.size(); ++i) {
      auto first = txn.next_sequence(plan[i].commune->agency, yymmdd(plan[i].day), plan[i].count);
      if (!first) return first.error();
      firsts[i] = *first;
    }
    return ok();
  });
  if (!reserved) return reserved.error();

  // A generator thread lives the dossiers chunk by chunk; this thread (and
  // as many more as the store's bulk_writers()) writes each chunk in one
  // transaction. One chunk a writer and one more at most wait between them.
  const std::size_t writers = std::max<std::size_t>(1, store.bulk_writers());
  struct Chunk {
    std::vector<store::DossierRecord> records;
    std::vector<std::vector<dossier::Event>> events;
    std::vector<stats::Row> figures;
    std::int64_t open = 0;
    std::optional<Error> error;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Chunk> queue;
  // Written chunks go back to the generator to be freed: the writer is the
  // busier thread, and freeing them was about 6% of its time.
  std::vector<Chunk> spent;
  bool done = false, stop = false;

  const std::size_t chunk_size = o.chunk ? o.chunk : nation ? 4000 : 1000;
  auto generate = [&]() -> Result<void> {
    std::size_t next = 0;
    // The writer waits for the first chunk: a small one starts it sooner (a
    // whole one kept it waiting 0.1 s of a 1.6-s run of 60,000 dossiers), and
    // each next chunk doubles up to chunk_size while the writer is busy.
    std::size_t limit = std::min(chunk_size, std::max<std::size_t>(chunk_size / 8, 1));
    while (next < plan.size()) {
      std::size_t end = next;
      std::size_t total = 0;
      while (end < plan.size() && (total == 0 || total + plan[end].count <= limit)) {
        total += plan[end].count;
        ++end;
      }
      Chunk chunk;
      std::map<stats::Key, stats::Counters> figures;
      Dossier d;
      std::vector<dossier::Event> events;
      chunk.records.reserve(total);
      chunk.events.reserve(total);
      for (std::size_t i = next; i < end; ++i) {
        const Planned& p = plan[i];
        const auto date = calendar::civil_from_days(p.day);
        const double progress_share =
            static_cast<double>(p.day - first_day) / static_cast<double>(std::max(1, o.days));
        const double online_share = 0.45 + 0.2 * progress_share;
        // Receipt times spread over the working day, in order (codes rise with time).
        std::vector<std::int64_t> times;
        for (int k = 0; k < p.count; ++k) {
          times.push_back(static_cast<std::int64_t>(7.75 * kHour + life.uniform() * 8.5 * kHour));
        }
        std::sort(times.begin(), times.end());
        std::int64_t next_number = firsts[i];
        for (int k = 0; k < p.count; ++k) {
          const Instant at = calendar::to_instant(date, times[k]);
          if (at > o.end) break;
          const double ch = life.uniform();
          const auto channel = ch < online_share          ? dossier::Channel::kOnline
                               : ch < online_share + 0.03 ? dossier::Channel::kNationalPortal
                               : ch < online_share + 0.08 ? dossier::Channel::kPost
                                                          : dossier::Channel::kCounter;
          std::string id = "HS";
          const auto ms = static_cast<std::uint64_t>(at.epoch_seconds) * 1000;
          for (int shift = 44; shift >= 0; shift -= 4) id += kHex[(ms >> shift) & 15];
          ++id_counter;
          for (int shift = 28; shift >= 0; shift -= 4) id += kHex[(id_counter >> shift) & 15];
          const Proc& proc = procs[pick_proc(rng)];
          if (auto s = life.live(*p.commune, proc, channel, at, id, next_number, d, events); !s)
            return s;
          if (events.empty()) continue;
          auto f = figures_of(d, *calendars, province_of);
          if (!f) return f.error();
          for (const auto& row : *f) figures[row.key] += row.counters;
          store::DossierRecord rec = record_of(d, events.back().at);
          index_due_times(rec, d, *calendars);
          // The chain, as save() would make it one event at a time; only
          // the last entry seals the body: the bodies between are not made.
          dossier::ChainHead head;
          for (std::size_t k = 0; k < events.size(); ++k) {
            const bool last = k + 1 == events.size();
            head = dossier::append_event(
                events[k], head, last ? std::optional<std::string_view>(rec.body) : std::nullopt);
          }
          rec.head = head;
          rec.version = static_cast<std::int64_t>(events.size());
          if (!d.finished_at && d.state != dossier::State::kWithdrawn) ++chunk.open;
          chunk.records.push_back(std::move(rec));
          chunk.events.push_back(std::move(events));
          events = {};
        }
        used[i] = next_number - firsts[i];
      }
      chunk.figures.reserve(figures.size());
      for (const auto& [key, counters] : figures) chunk.figures.push_back({key, counters});
      std::vector<Chunk> written;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return queue.size() < writers + 1 || stop; });
        if (stop) return ok();
        queue.push_back(std::move(chunk));
        written.swap(spent);
        changed.notify_all();
      }
      next = end;
      limit = std::min(chunk_size, limit * 2);
    }
    return ok();
  };
  std::thread generator([&] {
    name_this_thread("sim-generate");
    // The writer is the critical path and the generator has time to spare:
    // at equal priority the two (and the checkpointer) took turns on the
    // two cores and the writer waited its turn.
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kGeneratorNice);
    auto r = generate();
    std::lock_guard lock(mutex);
    if (!r) {
      Chunk failed;
      failed.error = r.error();
      queue.push_back(std::move(failed));
    }
    done = true;
    changed.notify_all();
  });
  // Each chunk commits without waiting for its sync: this thread syncs the
  // log meanwhile (one sync covers every chunk committed before it), and
  // after the last chunk, before the report.
  std::condition_variable sync_changed;
  bool sync_wanted = false, writing_done = false;
  std::optional<Error> sync_error;
  std::thread syncer([&] {
    name_this_thread("sim-sync");
    std::unique_lock lock(mutex);
    for (;;) {
      sync_changed.wait(lock, [&] { return sync_wanted || writing_done; });
      if (!sync_wanted) return;
      sync_wanted = false;
      lock.unlock();
      auto r = store.sync();
      lock.lock();
      if (!r && !sync_error) sync_error = r.error();
    }
  });
  // The first failure stops every writer and the generator.
  std::optional<Error> failure;
  auto write_chunks = [&] {
    for (;;) {
      Chunk chunk;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return !queue.empty() || done || failure; });
        if (queue.empty() || failure) return;
        chunk = std::move(queue.front());
        queue.pop_front();
        changed.notify_all();
      }
      const auto write_started = std::chrono::steady_clock::now();
      auto r = chunk.error
                   ? Result<void>(*chunk.error)
                   : store.write_bulk([&](store::DossierTxn& txn) -> Result<void> {
                       for (std::size_t i = 0; i < chunk.records.size(); ++i) {
                         if (auto s = txn.insert_history(chunk.records[i], chunk.events[i]); !s) {
                           return s;
                         }
                       }
                       txn.add_stats(chunk.figures);
                       return ok();
                     });
      const double took =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - write_started).count();
      std::int64_t events = 0;
      for (const auto& e : chunk.events) events += static_cast<std::int64_t>(e.size());
      std::int64_t written = 0;
      {
        std::lock_guard lock(mutex);
        if (!r) {
          if (!failure) failure = r.error();
          stop = true;
          changed.notify_all();
          return;
        }
        report.write_seconds += took;
        report.dossiers += static_cast<std::int64_t>(chunk.records.size());
        report.events += events;
        report.open += chunk.open;
        written = report.dossiers;
        spent.push_back(std::move(chunk));
        sync_wanted = true;
        sync_changed.notify_one();
      }
      if (progress) progress(written);  // outside the lock: it may write to a slow terminal
    }
  };
  std::vector<std::thread> helpers;
  for (std::size_t i = 1; i < writers; ++i) {
    helpers.emplace_back([&] {
      name_this_thread("sim-write");
      write_chunks();
    });
  }
  write_chunks();
  for (auto& t : helpers) t.join();
  {
    std::lock_guard lock(mutex);
    stop = true;
    writing_done = true;
    changed.notify_all();
    sync_changed.notify_one();
  }
  generator.join();
  syncer.join();  // after the sync the last chunk asked for
  if (failure) return *failure;
  if (sync_error) return *sync_error;
  // The numbers not taken, given back where no receipt has taken a later one.
  auto given_back = store.write([&](store::DossierTxn& txn) -> Result<void> {
    for (std::size_t i = 0; i < plan.size(); ++i) {
      const std::int64_t left = plan[i].count - used[i];
      if (left == 0) continue;
      auto r = txn.give_back_sequence(plan[i].commune->agency, yymmdd(plan[i].day),
                                      firsts[i] + plan[i].count - 1, firsts[i] + used[i] - 1);
      if (!r) return r.error();
    }
    return ok();
  });
  if (!given_back) return given_back.error();
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace motcua::services
