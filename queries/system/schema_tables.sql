-- The tables of one schema (the private Veilig Thuis schema's placeholders).
-- params: schema
-- reads:
select table_name from duckdb_tables() where schema_name = $schema
