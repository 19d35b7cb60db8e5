// Schema of the operations centre's counters (a migration of the `dossiers`
// area): one row per (level, unit, local day) with the counters of
// domain/stats/counters.hpp as columns, kept in the same transaction as the
// dossier changes that move them; day 0 holds the gauges. The partial index
// finds the open dossiers past due (warnings, "overdue now") without reading
// the finished ones.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kStatsSqlite = R"sql(
CREATE TABLE stats_daily (
  level TEXT NOT NULL CHECK (level IN ('unit', 'province', 'nation')),
  unit  TEXT NOT NULL CHECK (unit <> ''),
  day   INTEGER NOT NULL CHECK (day >= 0),
  received               INTEGER NOT NULL DEFAULT 0,
  received_online        INTEGER NOT NULL DEFAULT 0,
  received_counter       INTEGER NOT NULL DEFAULT 0,
  received_post          INTEGER NOT NULL DEFAULT 0,
  received_portal        INTEGER NOT NULL DEFAULT 0,
  fees_due               INTEGER NOT NULL DEFAULT 0,
  paid_online            INTEGER NOT NULL DEFAULT 0,
  digitised              INTEGER NOT NULL DEFAULT 0,
  supplement_requests    INTEGER NOT NULL DEFAULT 0,
  supplemented           INTEGER NOT NULL DEFAULT 0,
  finished               INTEGER NOT NULL DEFAULT 0,
  on_time                INTEGER NOT NULL DEFAULT 0,
  late                   INTEGER NOT NULL DEFAULT 0,
  refused                INTEGER NOT NULL DEFAULT 0,
  processing_milli_days  INTEGER NOT NULL DEFAULT 0,
  results_electronic     INTEGER NOT NULL DEFAULT 0,
  ratings                INTEGER NOT NULL DEFAULT 0,
  rating_sum             INTEGER NOT NULL DEFAULT 0,
  satisfied              INTEGER NOT NULL DEFAULT 0,
  open                   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (level, unit, day)
) STRICT, WITHOUT ROWID;

CREATE INDEX dossiers_open_by_due ON dossiers (sort_due, competent_unit, state)
  WHERE state IN ('received', 'in_progress', 'proposed', 'approved');
)sql";

inline constexpr const char* kStatsPostgres = R"sql(
CREATE TABLE stats_daily (
  level TEXT NOT NULL CHECK (level IN ('unit', 'province', 'nation')),
  unit  TEXT COLLATE "C" NOT NULL CHECK (unit <> ''),
  day   BIGINT NOT NULL CHECK (day >= 0),
  received               BIGINT NOT NULL DEFAULT 0,
  received_online        BIGINT NOT NULL DEFAULT 0,
  received_counter       BIGINT NOT NULL DEFAULT 0,
  received_post          BIGINT NOT NULL DEFAULT 0,
  received_portal        BIGINT NOT NULL DEFAULT 0,
  fees_due               BIGINT NOT NULL DEFAULT 0,
  paid_online            BIGINT NOT NULL DEFAULT 0,
  digitised              BIGINT NOT NULL DEFAULT 0,
  supplement_requests    BIGINT NOT NULL DEFAULT 0,
  supplemented           BIGINT NOT NULL DEFAULT 0,
  finished               BIGINT NOT NULL DEFAULT 0,
  on_time                BIGINT NOT NULL DEFAULT 0,
  late                   BIGINT NOT NULL DEFAULT 0,
  refused                BIGINT NOT NULL DEFAULT 0,
  processing_milli_days  BIGINT NOT NULL DEFAULT 0,
  results_electronic     BIGINT NOT NULL DEFAULT 0,
  ratings                BIGINT NOT NULL DEFAULT 0,
  rating_sum             BIGINT NOT NULL DEFAULT 0,
  satisfied              BIGINT NOT NULL DEFAULT 0,
  open                   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (level, unit, day)
);

CREATE INDEX dossiers_open_by_due ON dossiers (sort_due, competent_unit, state)
  WHERE state IN ('received', 'in_progress', 'proposed', 'approved');
)sql";

// Migration 12 (rollup.hpp): one row per (level, unit, month), the sum of the
// month's daily rows, filled from them here and kept beside them afterwards.
// A month is named by the day number of its first day. SQLite finds it with
// the date functions, PostgreSQL with date arithmetic; both read `day` as days
// since 1970-01-01.
inline constexpr const char* kStatsMonthlySqlite = R"sql(
CREATE TABLE stats_monthly (
  level TEXT NOT NULL CHECK (level IN ('unit', 'province', 'nation')),
  unit  TEXT NOT NULL CHECK (unit <> ''),
  month INTEGER NOT NULL CHECK (month >= 0),
  received               INTEGER NOT NULL DEFAULT 0,
  received_online        INTEGER NOT NULL DEFAULT 0,
  received_counter       INTEGER NOT NULL DEFAULT 0,
  received_post          INTEGER NOT NULL DEFAULT 0,
  received_portal        INTEGER NOT NULL DEFAULT 0,
  fees_due               INTEGER NOT NULL DEFAULT 0,
  paid_online            INTEGER NOT NULL DEFAULT 0,
  digitised              INTEGER NOT NULL DEFAULT 0,
  supplement_requests    INTEGER NOT NULL DEFAULT 0,
  supplemented           INTEGER NOT NULL DEFAULT 0,
  finished               INTEGER NOT NULL DEFAULT 0,
  on_time                INTEGER NOT NULL DEFAULT 0,
  late                   INTEGER NOT NULL DEFAULT 0,
  refused                INTEGER NOT NULL DEFAULT 0,
  processing_milli_days  INTEGER NOT NULL DEFAULT 0,
  results_electronic     INTEGER NOT NULL DEFAULT 0,
  ratings                INTEGER NOT NULL DEFAULT 0,
  rating_sum             INTEGER NOT NULL DEFAULT 0,
  satisfied              INTEGER NOT NULL DEFAULT 0,
  open                   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (level, unit, month)
) STRICT, WITHOUT ROWID;

INSERT INTO stats_monthly (level, unit, month,
  received, received_online, received_counter, received_post, received_portal, fees_due,
  paid_online, digitised, supplement_requests, supplemented, finished, on_time, late, refused,
  processing_milli_days, results_electronic, ratings, rating_sum, satisfied, open)
SELECT level, unit, CAST(strftime('%s', day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400 AS m,
  sum(received), sum(received_online), sum(received_counter), sum(received_post),
  sum(received_portal), sum(fees_due), sum(paid_online), sum(digitised),
  sum(supplement_requests), sum(supplemented), sum(finished), sum(on_time), sum(late),
  sum(refused), sum(processing_milli_days), sum(results_electronic), sum(ratings),
  sum(rating_sum), sum(satisfied), sum(open)
FROM stats_daily WHERE day > 0 GROUP BY level, unit, m;
)sql";

inline constexpr const char* kStatsMonthlyPostgres = R"sql(
CREATE TABLE stats_monthly (
  level TEXT NOT NULL CHECK (level IN ('unit', 'province', 'nation')),
  unit  TEXT COLLATE "C" NOT NULL CHECK (unit <> ''),
  month BIGINT NOT NULL CHECK (month >= 0),
  received               BIGINT NOT NULL DEFAULT 0,
  received_online        BIGINT NOT NULL DEFAULT 0,
  received_counter       BIGINT NOT NULL DEFAULT 0,
  received_post          BIGINT NOT NULL DEFAULT 0,
  received_portal        BIGINT NOT NULL DEFAULT 0,
  fees_due               BIGINT NOT NULL DEFAULT 0,
  paid_online            BIGINT NOT NULL DEFAULT 0,
  digitised              BIGINT NOT NULL DEFAULT 0,
  supplement_requests    BIGINT NOT NULL DEFAULT 0,
  supplemented           BIGINT NOT NULL DEFAULT 0,
  finished               BIGINT NOT NULL DEFAULT 0,
  on_time                BIGINT NOT NULL DEFAULT 0,
  late                   BIGINT NOT NULL DEFAULT 0,
  refused                BIGINT NOT NULL DEFAULT 0,
  processing_milli_days  BIGINT NOT NULL DEFAULT 0,
  results_electronic     BIGINT NOT NULL DEFAULT 0,
  ratings                BIGINT NOT NULL DEFAULT 0,
  rating_sum             BIGINT NOT NULL DEFAULT 0,
  satisfied              BIGINT NOT NULL DEFAULT 0,
  open                   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (level, unit, month)
);

INSERT INTO stats_monthly (level, unit, month,
  received, received_online, received_counter, received_post, received_portal, fees_due,
  paid_online, digitised, supplement_requests, supplemented, finished, on_time, late, refused,
  processing_milli_days, results_electronic, ratings, rating_sum, satisfied, open)
SELECT level, unit,
  (date_trunc('month', DATE '1970-01-01' + day::integer)::date - DATE '1970-01-01')::bigint AS m,
  sum(received), sum(received_online), sum(received_counter), sum(received_post),
  sum(received_portal), sum(fees_due), sum(paid_online), sum(digitised),
  sum(supplement_requests), sum(supplemented), sum(finished), sum(on_time), sum(late),
  sum(refused), sum(processing_milli_days), sum(results_electronic), sum(ratings),
  sum(rating_sum), sum(satisfied), sum(open)
FROM stats_daily WHERE day > 0 GROUP BY level, unit, m;
)sql";

}  // namespace motcua::store::migrations
