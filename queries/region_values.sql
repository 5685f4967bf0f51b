-- One indicator's figures for every region of one kind (region_kind: 'ggd_regio', 'corop',
-- 'jeugdzorgregio', …) in one period and subgroup, Twente included when its figure is of that
-- kind, and Nederland ('land') as the reference: Twente among the regions. With source and
-- peildatum; only regions with a figure.
-- params: indicator_id, period, subgroup, kind
-- reads: regions, observations, sources
-- example: {"indicator_id": "overgewicht", "period": "2022", "subgroup": "totaal", "kind": "ggd_regio"}
select
    o.region_code,
    r.name as region_name,
    o.region_kind,
    o.period,
    o.value,
    o.ci_low,
    o.ci_high,
    o.is_sample,
    o.source_id,
    s.title as source_title,
    s.peildatum as source_peildatum
from observations o
join regions r using (region_code)
left join sources s using (source_id)
where o.indicator_id = $indicator_id
  and o.period = $period
  and o.subgroup = $subgroup
  and o.region_kind in ($kind, 'land')
  and o.value is not null
order by o.region_kind, r.name
