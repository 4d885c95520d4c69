-- Geographic areas in Kolada's coding: 4-digit strings, leading zeros kept.
-- '0000' = Riket (Sweden); '00' + county code = region (0023 Jämtland Härjedalen);
-- other codes = municipalities (2380 Östersund), whose parent is their region.
create table if not exists areas (
    area_code   varchar primary key,
    name        varchar not null,
    area_type   varchar not null,  -- country | region | municipality
    parent_code varchar            -- region of a municipality, '0000' for a region, null for Riket
);
