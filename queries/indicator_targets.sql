-- Targets of some indicators, with the source that sets them.
-- params: indicator_ids
-- reads: regions, sources, targets
-- example: {"indicator_ids": ["moeite_met_rondkomen"]}
select t.*, r.name as region_name, s.title as source_title, s.peildatum as source_peildatum
from targets t
join regions r using (region_code)
left join sources s using (source_id)
where list_contains($indicator_ids, t.indicator_id)
order by t.indicator_id, t.deadline
