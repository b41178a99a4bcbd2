-- Named leases (issue 13): who does a one-at-a-time job across processes ("leader" runs the
-- workers and the once-only jobs, "poller" reads Telegram's updates, "mode-switch" converts),
-- and until when. A holder renews its lease well before `until`; once `until` has passed
-- (or the holder's process is known to be gone) another process may take it.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until TEXT NOT NULL  -- UTC, ISO-8601 (text order is time order)
);
