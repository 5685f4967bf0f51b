-- Materialised: the protected Veilig Thuis figures with their source (the view
-- vt_reports_sourced over vt_reports_protected: rounded counts, 'klein'/'afgeschermd'
-- suppression, per 1.000 from the rounded count), computed once per data or settings change
-- instead of per query. Never the raw counts. Read by the queries of the Veilig Thuis page,
-- which stays on Twente: only the 14 gemeenten, Twente and Nederland ($vt_scope); the other
-- regions CBS publishes are in vt_reports_protected (SQL page) and vt_regio_published.
-- params: vt_scope
-- reads: vt_reports_sourced
create or replace table vt_published as
select * from vt_reports_sourced
where region_code = any($vt_scope)
order by region_code, period, kind, breakdown, category
