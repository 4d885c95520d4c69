-- The files a load came from, kept byte for byte, so every imported value can be
-- traced to its file (observations.source_ref names the file and row).
create table if not exists load_files (
    load_id    integer not null,
    file_name  varchar not null,
    kind       varchar not null,  -- bup | survey | local
    sha256     varchar not null,  -- hex checksum of content
    size_bytes bigint not null,
    encoding   varchar,           -- how the text was read (utf-8, utf-8-sig, cp1252, xlsx)
    content    blob not null
);
