-- The figures other documents quote for some indicators (the jaarplan quoting the Regiobeeld),
-- with the quoting document's title: shown beside the measured series, never as a point of it.
-- params: indicator_ids
-- reads: quotes, regions, sources
-- example: {"indicator_ids": ["overgewicht", "eenzaam_65plus"]}
select q.*, r.name as region_name, s.title as source_title, s.peildatum as source_peildatum
from quotes q
join regions r using (region_code)
left join sources s using (source_id)
where list_contains($indicator_ids, q.indicator_id)
order by q.indicator_id, q.region_code, q.subgroup
