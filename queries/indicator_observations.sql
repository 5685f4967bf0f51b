-- Every figure of some indicators in the monitor's regions (Nederland, Overijssel, Twente and
-- its gemeenten; the materialised monitor_observations), with region, source and peildatum:
-- the input for trend, comparison, map and target charts.
-- params: indicator_ids
-- reads: monitor_observations, sources
-- example: {"indicator_ids": ["overgewicht", "moeite_met_rondkomen"]}
select
    o.indicator_id,
    o.region_code,
    o.region_name,
    o.level,
    o.region_kind,
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
from monitor_observations o
left join sources s using (source_id)
where o.indicator_id = any($indicator_ids)
  and o.value is not null
order by o.indicator_id, o.period, o.level, o.region_name
