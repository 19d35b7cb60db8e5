// Migration 14: each dossier's live due time (DossierRecord::live_due), the
// due time that counts now: the indexed due while it is being processed, and
// while it waits for the applicant the same if it was overdue when asked
// (such a pause moves nothing), none if asked in time; none once finished.
// "Overdue now" and "due soon" become one range of one index that holds the
// open dossiers alone; before, that index left out every waiting dossier, so
// those asked for a paper after their due time were overdue on their own page
// and in the deadline sweep, yet counted nowhere in the operations centre.
//
// The existing open dossiers are filled in from their bodies: a waiting one's
// open pause is its last supplement request after receipt not yet answered.
// Both updates read the sweep's index of open dossiers (migration 10), spelled
// as it is, not the whole table. Two indexes: by time for the whole country,
// by unit then time for a province's communes.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kLiveDueSqlite = R"sql(
ALTER TABLE dossiers ADD COLUMN live_due INTEGER;

UPDATE dossiers INDEXED BY dossiers_open_by_due_at SET live_due = due_at
WHERE (state = 'received' OR state = 'waiting_supplement' OR state = 'in_progress' OR state = 'proposed' OR state = 'approved')
  AND (state <> 'waiting_supplement' OR coalesce((
    SELECT unixepoch(json_extract(s.value, '$.requested_at')) >= dossiers.due_at
    FROM json_each(dossiers.body, '$.supplements') AS s
    WHERE json_extract(s.value, '$.after_receipt') AND json_extract(s.value, '$.answered_at') IS NULL
    ORDER BY s.key DESC LIMIT 1), 0));

DROP INDEX dossiers_open_by_due;
CREATE INDEX dossiers_by_live_due ON dossiers (live_due, competent_unit) WHERE live_due IS NOT NULL;
CREATE INDEX dossiers_by_unit_live_due ON dossiers (competent_unit, live_due) WHERE live_due IS NOT NULL;
)sql";

inline constexpr const char* kLiveDuePostgres = R"sql(
ALTER TABLE dossiers ADD COLUMN live_due BIGINT;

UPDATE dossiers SET live_due = due_at
WHERE (state = 'received' OR state = 'waiting_supplement' OR state = 'in_progress' OR state = 'proposed' OR state = 'approved')
  AND (state <> 'waiting_supplement' OR coalesce((
    SELECT extract(epoch FROM (s ->> 'requested_at')::timestamptz) >= dossiers.due_at
    FROM jsonb_array_elements(dossiers.body::jsonb -> 'supplements') WITH ORDINALITY AS e (s, n)
    WHERE (s ->> 'after_receipt')::boolean AND s ->> 'answered_at' IS NULL
    ORDER BY n DESC LIMIT 1), false));

DROP INDEX dossiers_open_by_due;
CREATE INDEX dossiers_by_live_due ON dossiers (live_due, competent_unit) WHERE live_due IS NOT NULL;
CREATE INDEX dossiers_by_unit_live_due ON dossiers (competent_unit, live_due) WHERE live_due IS NOT NULL;
)sql";

// Migration 15: the deadline sweep reads the live due time too. "Overdue"
// is then one range (live due before now), and a waiting dossier asked in
// time, never overdue while it waits, is no candidate at all; "due soon" is
// the range from now on, which holds dossiers being processed alone (a
// waiting one's live due is never after the start of its wait). The sweep's
// own index of open dossiers goes, one index fewer for every write of an
// open dossier; the live-due index takes the id after the unit, so that the
// sweep reads its candidates and resumes where it stopped in that index's
// order, as the counts still read it alone.
inline constexpr const char* kSweepByLiveDue = R"sql(
DROP INDEX dossiers_open_by_due_at;
DROP INDEX dossiers_by_live_due;
CREATE INDEX dossiers_by_live_due ON dossiers (live_due, competent_unit, id) WHERE live_due IS NOT NULL;
)sql";

}  // namespace motcua::store::migrations
