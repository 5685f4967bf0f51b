-- One indicator's figures for every gemeente of the Netherlands in one period and subgroup, with
-- CBS's classification (85385NED: size class, urbanity, inhabitants), source and peildatum: the
-- input of the peer groups, the funnel plot and the ranks of the Vergelijken page. Every gemeente
-- is listed, also one without a figure (value null): the classification needs them all.
-- params: indicator_id, period, subgroup
-- reads: regions, observations, sources
-- example: {"indicator_id": "overgewicht", "period": "2022", "subgroup": "totaal"}
select
    r.region_code,
    r.name as region_name,
    r.parent_code,
    r.size_class,
    r.size_class_name,
    r.urbanity,
    r.urbanity_name,
    r.inhabitants,
    o.period,
    o.value,
    o.ci_low,
    o.ci_high,
    o.is_sample,
    o.source_id,
    s.title as source_title,
    s.peildatum as source_peildatum
from regions r
left join observations o
    on o.region_code = r.region_code
    and o.indicator_id = $indicator_id
    and o.period = $period
    and o.subgroup = $subgroup
left join sources s on s.source_id = o.source_id
where r.level = 'gemeente'
order by r.name, r.region_code
