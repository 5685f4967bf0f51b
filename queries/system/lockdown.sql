-- The SQL worker's lockdown, run in this order right after the instance opened and before the
-- analyst's statement (monitor.data.sql_worker.lockdown): DuckDB accepts allowed_paths only
-- once it runs and temp_directory only before external access is off; lock_configuration last,
-- so no later statement can change any setting. The allowed_paths step runs only when there
-- are paths (big tables are views over their Parquet file). The worker imports only the
-- standard library and duckdb, so it reads this file itself.
-- params: paths
-- reads:
SET temp_directory = '';
SET allowed_paths = $paths;
SET enable_external_access = false;
SET lock_configuration = true;
