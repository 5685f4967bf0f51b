-- Every source with its metadata and the number of rows it contributes to the datasets (the
-- materialised source_rows).
-- params:
-- reads: source_rows, sources
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
    coalesce(c.n, 0)::bigint as rows
from sources s
left join source_rows c using (source_id)
order by s.is_sample, s.publisher, s.peildatum desc, s.source_id
