-- Every indicator with its definition, unit, direction, how it is measured, the source that
-- defines it, the periods it has figures for and EVERY source its figures come from, each with
-- its periods (counted in the materialised observation_counts, over all regions).
-- params:
-- reads: indicators, observation_counts, sources
with per_indicator as (
    select indicator_id,
           string_agg(distinct period, ', ' order by period) as periods,
           bool_or(is_sample) as has_sample
    from observation_counts
    group by indicator_id
),
per_source as (
    select c.indicator_id, c.source_id, s.title, min(c.period) as first_period,
           string_agg(distinct c.period, ', ' order by c.period) as periods
    from observation_counts c
    left join sources s using (source_id)
    group by c.indicator_id, c.source_id, s.title
),
sources_of as (
    select indicator_id,
           string_agg(coalesce(title, source_id) || ' (' || periods || ')', '; '
                      order by first_period, source_id) as sources
    from per_source
    group by indicator_id
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
    p.periods,
    o.sources,
    p.has_sample
from indicators i
left join sources s using (source_id)
left join per_indicator p using (indicator_id)
left join sources_of o using (indicator_id)
order by i.themalijn nulls last, i.name
