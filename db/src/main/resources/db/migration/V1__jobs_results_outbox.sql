-- flowrecon schema, version 1: the prior registry, jobs and their inputs, results, the
-- per-iteration trace, experiments, and the transactional outbox.
-- Every row a user can see carries an owner.

create table models (
    id            text primary key,
    kind          text        not null,            -- lasso-dct, glow, dcgan, ...
    card          jsonb       not null,            -- the model card (model.json), or the built-in description
    sha256        text        not null,            -- hash of the bundle (of its card for built-in models)
    bundle_path   text,                            -- folder of the bundle on worker hosts; null for built-ins
    registered_at timestamptz not null default now()
);

create table experiments (
    id         uuid primary key,
    owner      text        not null,
    name       text        not null,
    spec       jsonb       not null,
    created_at timestamptz not null default now()
);

create table jobs (
    id               uuid primary key,
    owner            text        not null,
    model_id         text        not null references models (id),
    experiment_id    uuid references experiments (id),
    problem_kind     text        not null,         -- denoising, compressive-sensing, inpainting
    spec             jsonb       not null,         -- the validated spec, without its binary inputs
    spec_hash        text        not null,         -- sha256 of the canonical spec and inputs
    status           text        not null
        check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    attempts         integer     not null default 0,
    worker_id        text,
    error            text,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz not null default now()
);

-- History pages: newest first, keyset paging on (created_at, id).
create index jobs_owner_history on jobs (owner, created_at desc, id desc);
create index jobs_status on jobs (status);
create index jobs_model on jobs (model_id);
create index jobs_experiment on jobs (experiment_id) where experiment_id is not null;

-- Large inputs stay here (claim check): Kafka carries only the job id.
create table job_inputs (
    job_id              uuid primary key references jobs (id) on delete cascade,
    truth_png           bytea,                     -- uploaded ground truth; measurements are simulated from it
    measurement_png     bytea,                     -- uploaded measurements that are an image (noisy / masked)
    measurement_values  bytea,                     -- uploaded measurement vector, float32 little-endian
    check (truth_png is not null or measurement_png is not null or measurement_values is not null)
);

create table results (
    job_id              uuid primary key references jobs (id) on delete cascade,
    reconstruction_png  bytea            not null,
    measurement_png     bytea,                     -- the measurements, where they are an image
    psnr                double precision,          -- null when the truth is unknown
    ssim                double precision,
    residual_norm       double precision not null, -- ||A x_hat - y||
    latent_norm         double precision,          -- ||z|| (or ||w||_1 scale for sparse codes)
    iterations          integer          not null,
    evaluations         integer          not null,
    wall_millis         bigint           not null,
    worker_id           text             not null,
    execution_provider  text             not null,
    model_sha256        text             not null,
    stop_reason         text,
    provenance          jsonb            not null, -- seeds, settings, versions: what reproduces the result
    created_at          timestamptz      not null default now()
);

create table job_progress (
    job_id          uuid             not null references jobs (id) on delete cascade,
    iteration       integer          not null,
    loss            double precision not null,
    psnr            double precision,
    elapsed_millis  bigint           not null,
    primary key (job_id, iteration)
);

create table outbox (
    id            bigserial primary key,
    topic         text        not null,
    message_key   text        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null default now(),
    published_at  timestamptz
);

create index outbox_pending on outbox (id) where published_at is null;
