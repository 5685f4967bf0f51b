-- Every indicator with its definition, unit, direction, how it is measured, the source that
-- defines it, the periods it has figures for and EVERY source its figures come from, each with
-- its periods (counted in the materialised observation_counts, over all regions).
-- params:
-- reads: indicators, observation_counts, sources
with per_source as (
    select c.indicator_id, c.source_id, s.title, min(c.period) as first_period,
           string_agg(distinct c.period, ', ' order by c.period) as periods
    from observation_counts c
    left join sources s using (source_id)
    group by c.indicator_id, c.source_id, s.title
)
select
    i.indicator_id,
    i.name,
    i.themalijn,
    i.unit,
    i.direction,
    i.measurement,
    i.description,
    i.source_id,
    s.title as source_title,
    (select string_agg(distinct c.period, ', ' order by c.period)
       from observation_counts c where c.indicator_id = i.indicator_id) as periods,
    (select string_agg(coalesce(p.title, p.source_id) || ' (' || p.periods || ')', '; '
                       order by p.first_period, p.source_id)
       from per_source p where p.indicator_id = i.indicator_id) as sources,
    (select bool_or(c.is_sample) from observation_counts c where c.indicator_id = i.indicator_id) as has_sample
from indicators i
left join sources s using (source_id)
order by i.themalijn nulls last, i.name
