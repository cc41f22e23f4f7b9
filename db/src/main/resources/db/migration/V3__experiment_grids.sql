-- Experiment grids: each job of an experiment records its grid point, and the image-set image it solves.

alter table jobs add column axes jsonb;              -- the job's point of its experiment's grid; null otherwise
alter table jobs add column image_set_id uuid references image_sets (id);
alter table jobs add column image_index integer;     -- index in image_set_id
alter table jobs add column experiment_position integer;  -- order of the job in its experiment's expansion

alter table experiments add column image_set_id uuid references image_sets (id);
alter table experiments add column job_count integer;   -- what the grid expanded to
alter table experiments add column cancelled_at timestamptz;
create index experiments_owner_created on experiments (owner, created_at desc, id);

-- Reuse: a job whose canonical spec (without its experiment), inputs and model hash equal those of an earlier
-- SUCCEEDED job of the same owner takes that job's result instead of being solved again.
alter table jobs add column reuse_key text;
alter table jobs add column reused_from uuid references jobs (id);
create index jobs_reuse on jobs (owner, reuse_key) where status = 'SUCCEEDED';
