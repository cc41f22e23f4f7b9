-- Worker liveness and the jobs' history of recoveries.
--
-- Each worker process writes its row when it starts (started_at: this incarnation) and touches last_seen every
-- few seconds; a clean stop deletes it. The API's reaper returns jobs RUNNING on a worker that stopped
-- heartbeating (or that a newer incarnation of the same worker id replaced) to the queue. All times are the
-- database's clock, so hosts with skewed clocks compare correctly.
create table worker_heartbeats (
    worker_id   text primary key,
    host        text        not null,
    started_at  timestamptz not null,
    last_seen   timestamptz not null,
    version     text        not null
);

-- What happened to a job besides its status changes, e.g. why it went back to the queue; shown with the job.
create table job_events (
    id      bigserial primary key,
    job_id  uuid        not null references jobs (id) on delete cascade,
    at      timestamptz not null default now(),
    kind    text        not null,
    detail  text        not null
);

create index job_events_job on job_events (job_id, id);
