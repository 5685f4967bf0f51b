-- Indicator targets crossed between $since and $until: per target (its region, subgroup
-- totaal) the latest figure known on each date (by its source's retrieved date, voorbeelddata
-- left out), and whether it met the target then and now. Only targets whose state changed.
-- params: since, until
-- reads: indicators, observations, sources, targets
-- example: {"since": "2026-11-01", "until": "2026-12-07"}
with known as (
    select o.indicator_id, o.region_code, o.period, o.value, s.retrieved
    from observations o
    -- only the figures of an indicator and region with a target (12,6 million observations at
    -- national scale: 43 ms without this, 13 ms with it)
    semi join targets t using (indicator_id, region_code)
    join sources s using (source_id)
    where o.subgroup = 'totaal' and o.value is not null and not s.is_sample
),
at_since as (
    select indicator_id, region_code, arg_max(value, (period, retrieved)) as value,
           max(period) as period
    from known where retrieved <= cast($since as date)
    group by indicator_id, region_code
),
at_until as (
    select indicator_id, region_code, arg_max(value, (period, retrieved)) as value,
           max(period) as period
    from known where retrieved <= cast($until as date)
    group by indicator_id, region_code
),
judged as (
    select t.indicator_id, t.region_code, t.comparator, t.target_value, t.deadline,
           b.value as value_before, b.period as period_before, a.value as value_now, a.period as period_now,
           case t.comparator when '<' then b.value < t.target_value when '≤' then b.value <= t.target_value
                when '≥' then b.value >= t.target_value else b.value > t.target_value end as met_before,
           case t.comparator when '<' then a.value < t.target_value when '≤' then a.value <= t.target_value
                when '≥' then a.value >= t.target_value else a.value > t.target_value end as met_now
    from targets t
    join at_until a using (indicator_id, region_code)
    left join at_since b using (indicator_id, region_code)
)
select i.themalijn, i.name as indicator_name, i.unit, j.*
from judged j
join indicators i using (indicator_id)
where coalesce(j.met_before, false) <> coalesce(j.met_now, false)
order by i.themalijn, i.name
