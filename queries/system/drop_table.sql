-- Drop one of the data layer's own tables if it exists (schema and name are identifiers).
-- params:
-- reads:
-- identifiers: schema, table
drop table if exists "{schema}"."{table}"
