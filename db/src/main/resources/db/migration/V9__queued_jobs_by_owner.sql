-- Per-owner quotas count an owner's QUEUED jobs on every submission: an index over just those rows keeps the
-- count proportional to that owner's queue, not to the whole table.
create index jobs_queued_by_owner on jobs (owner) where status = 'QUEUED';
