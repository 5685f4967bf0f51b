-- Every indicator with its definition, unit, direction, source and the periods it has figures for
-- (counted in the materialised observation_counts, over all regions).
-- Used by: pages/bronnen.py
select
    i.indicator_id,
    i.name,
    i.themalijn,
    i.unit,
    i.direction,
    i.description,
    i.source_id,
    s.title as source_title,
    (select string_agg(distinct c.period, ', ' order by c.period)
       from observation_counts c where c.indicator_id = i.indicator_id) as periods,
    (select bool_or(c.is_sample) from observation_counts c where c.indicator_id = i.indicator_id) as has_sample
from indicators i
left join sources s using (source_id)
order by i.themalijn nulls last, i.name
