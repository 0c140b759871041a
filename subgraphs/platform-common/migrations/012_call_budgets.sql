-- A platform's request budget for this application (Mercado Livre counts calls per application),
-- kept here rather than in one process's memory: a process started again goes on from what the
-- one before it spent instead of from nothing, and replicas draw on one budget instead of each
-- on a whole one. `tokens` is what the bucket held at `counted_at`; processes lease from it.
CREATE TABLE platform_call_budgets (
  budget text PRIMARY KEY,
  tokens double precision NOT NULL,
  counted_at timestamptz NOT NULL
);
