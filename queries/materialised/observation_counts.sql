-- Materialised: how many observations (and how many with a value) there are per indicator,
-- period, source and voorbeelddata flag, over ALL regions. The catalogue, the indicator
-- picker, the start page and the Bronnen page count from this instead of scanning every
-- observation. Built in memory by monitor/data/materialise.py when first needed and after a data change.
-- params:
-- reads: observations
create or replace table observation_counts as
select indicator_id, period, source_id, is_sample,
       count(*)::bigint as observations,
       count(value)::bigint as with_value
from observations
group by all
order by all
