-- The tables and views an analyst's query can read, as the sandbox itself lists them (run in a
-- SQL worker like the analyst's own statements: monitor.data.sandbox.tables).
-- params:
-- reads:
select table_name from duckdb_tables() union select view_name from duckdb_views() where not internal order by 1
