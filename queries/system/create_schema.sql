-- The private Veilig Thuis schema (``monitor.data.private_schema``).
-- params:
-- reads:
-- identifiers: schema
create schema if not exists "{schema}"
