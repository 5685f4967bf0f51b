-- Every source with its metadata and the number of rows it contributes to the datasets.
-- Used by: pages/bronnen.py
with contributed as (
    select source_id, count(*) as n from observations group by all
    union all select source_id, count(*) from population group by all
    union all select source_id, count(*) from projects group by all
    union all select source_id, count(*) from project_kpis group by all
    union all select source_id, count(*) from kpi_realisations group by all
    union all select source_id, count(*) from targets group by all
    union all select source_id, count(*) from local_assignments group by all
    union all select source_id, count(*) from vt_reports_protected group by all
    union all select source_id, count(*) from region_shapes group by all
)
select
    s.source_id,
    s.publisher,
    s.title,
    s.table_id,
    s.licence,
    s.peildatum,
    s.retrieved,
    s.is_sample,
    s.url,
    s.note,
    coalesce((select sum(n) from contributed c where c.source_id = s.source_id), 0)::bigint as rows
from sources s
order by s.is_sample, s.publisher, s.peildatum desc, s.source_id
