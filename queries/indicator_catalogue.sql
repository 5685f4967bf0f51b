-- Every indicator with its definition, unit, direction, source and the periods it has figures for.
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
    (select string_agg(distinct o.period, ', ' order by o.period)
       from observations o where o.indicator_id = i.indicator_id) as periods,
    (select bool_or(o.is_sample) from observations o where o.indicator_id = i.indicator_id) as has_sample
from indicators i
left join sources s using (source_id)
order by i.themalijn nulls last, i.name
