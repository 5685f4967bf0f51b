-- Every figure of some indicators, with region, source and peildatum: the input for trend,
-- comparison, map and target charts.
-- Used by: pages/overzicht.py, monitor/themalijn_view.py
-- example: {"indicator_ids": ["overgewicht", "moeite_met_rondkomen"]}
select
    o.indicator_id,
    o.region_code,
    r.name as region_name,
    r.level,
    o.period,
    o.subgroup,
    o.value,
    o.ci_low,
    o.ci_high,
    o.status,
    o.is_sample,
    o.source_id,
    s.title as source_title,
    s.publisher as source_publisher,
    s.peildatum as source_peildatum
from observations o
join regions r using (region_code)
left join sources s using (source_id)
where list_contains($indicator_ids, o.indicator_id)
  and o.value is not null
order by o.indicator_id, o.period, r.level, r.name
