-- API keys: who a caller is. Only the SHA-256 of a key is kept; the key itself is shown once, when created.
-- A 256-bit random key needs no slow password hash: guessing it is as hard as inverting SHA-256.

create table api_keys (
    id          uuid primary key,
    owner       text        not null check (length(owner) between 1 and 200),
    admin       boolean     not null default false,    -- may list every owner's jobs and experiments
    key_sha256  text        not null unique,           -- lower-case hex of SHA-256 over the key's UTF-8 bytes
    key_prefix  text        not null,                  -- the key's first characters, so a person can tell keys apart
    label       text,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz                            -- set: the key no longer authenticates
);

create index api_keys_owner on api_keys (owner);
