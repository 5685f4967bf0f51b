-- View: the protected Veilig Thuis figures (vt_reports_protected, never the raw counts) with
-- the title, publisher and peildatum of their source, which every figure on the page shows.
-- Defined after vt_reports_protected.sql (views are created in file-name order).
-- params:
-- reads: sources, vt_reports_protected
create or replace view vt_reports_sourced as
select
    v.region_code,
    v.region_name,
    v.region_kind,
    v.period,
    v.kind,
    v.breakdown,
    v.category,
    v.count,
    v.suppression,
    v.min_count,
    v.inhabitants,
    v.population_year,
    v.per_1000,
    v.protected_by,
    v.is_sample,
    v.source_id,
    s.title as source_title,
    s.publisher as source_publisher,
    s.peildatum as source_peildatum
from vt_reports_protected v
left join sources s using (source_id);
