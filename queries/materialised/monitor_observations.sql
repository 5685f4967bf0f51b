-- Materialised: the observations of the monitor's own regions ($scope: Nederland, Overijssel,
-- Twente and its 14 gemeenten), with region name and level. Every page query on indicator
-- figures reads this table; the full table (all gemeenten and wijken of a national store)
-- stays in observations.parquet for the SQL page. Built in memory by monitor/data/materialise.py the first
-- time a query reads it, and again after the dataset files change.
-- Twente's name says which Twente region produced the figure (region_kind: 'Twente (COROP-gebied)'
-- for a COROP figure; monitor.domain.regions.TWENTE_NAMES), so no legend calls it the GGD's.
-- params: scope, twente_kinds, twente_names
-- reads: observations, regions
create or replace table monitor_observations as
select o.*,
       case when o.region_code = 'GG_TWENTE' and list_position($twente_kinds, o.region_kind) is not null
            then $twente_names[list_position($twente_kinds, o.region_kind)]
            else r.name end as region_name,
       r.level
from observations o
join regions r using (region_code)
where o.region_code = any($scope)
order by o.indicator_id, o.region_code, o.period, o.subgroup
