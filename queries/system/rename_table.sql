-- Rename one of the catalogue's in-memory copies (``_mem_<name>_new`` → ``_mem_<name>``).
-- params:
-- reads:
-- identifiers: table, new_name
alter table "{table}" rename to "{new_name}"
