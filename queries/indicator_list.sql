-- Every indicator for the picker on the Indicatoren page: name, unit, direction, themalijn,
-- definition and whether it has any figure.
-- params:
-- reads: indicators, observation_counts
select
    i.indicator_id,
    i.name,
    i.unit,
    i.direction,
    i.themalijn,
    i.description,
    exists (select 1 from observation_counts c
            where c.indicator_id = i.indicator_id and c.with_value > 0) as has_figures
from indicators i
order by lower(i.name), i.indicator_id
