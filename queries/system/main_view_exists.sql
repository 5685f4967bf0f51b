-- One row when the main schema has a view of this name (a materialised table replaces a view
-- of the same name that an older version created).
-- params: name
-- reads:
select 1 from duckdb_views() where view_name = $name and schema_name = 'main'
