-- Indicators by id with unit, direction, definition, duiding phrase and source.
-- params: indicator_ids
-- reads: indicators, sources
-- example: {"indicator_ids": ["overgewicht", "moeite_met_rondkomen"]}
select i.*, s.title as source_title, s.peildatum as source_peildatum
from indicators i
left join sources s using (source_id)
where list_contains($indicator_ids, i.indicator_id)
