-- Every table of the database (any schema), by name: the catalogue checks which of its own
-- holder tables exist before creating one.
-- params:
-- reads:
select table_name from duckdb_tables()
