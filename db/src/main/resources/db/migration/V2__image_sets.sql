-- Named sets of images that jobs and experiments reference by (set, index) instead of uploading them.

create table image_sets (
    id          uuid primary key,
    owner       text,                              -- null: declared by the server's configuration, visible to all
    name        text        not null,
    source      text        not null,              -- 'upload', or the folder and recipe a configured set came from
    channels    integer     not null,
    height      integer     not null,
    width       integer     not null,
    image_count integer     not null,
    created_at  timestamptz not null default now()
);

-- One name per owner; configured sets share one namespace of their own.
create unique index image_sets_owner_name on image_sets (coalesce(owner, ''), name);
create index image_sets_owner_created on image_sets (owner, created_at desc);

create table image_set_images (
    set_id  uuid    not null references image_sets (id) on delete cascade,
    index   integer not null,                      -- 0-based position, in the order of the entry names
    name    text    not null,                      -- the uploaded entry's name (file name inside an archive)
    png     bytea   not null,
    sha256  text    not null,                      -- of the PNG bytes, so results can name their exact input
    primary key (set_id, index)
);
