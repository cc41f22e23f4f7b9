-- Imported priors: a model is validated before it serves jobs, and its files live in the database so
-- that a worker on any host can fetch them (no shared filesystem).
alter table models add column status text not null default 'ready'
    check (status in ('validating', 'ready', 'rejected', 'deleted'));
alter table models add column reason text;          -- why it was rejected; null otherwise
alter table models add column owner text;           -- who imported it; null for built-in and folder bundles
alter table models add column builtin boolean not null default false;

-- Bundle files, content-addressed: a model card lists file name -> sha256, the bytes are here once.
create table model_blobs (
    sha256     text primary key,
    content    bytea       not null,
    size_bytes bigint      not null,
    stored_at  timestamptz not null default now()
);
