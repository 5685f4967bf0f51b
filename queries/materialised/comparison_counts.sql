-- Materialised: per indicator, period, subgroup and kind of region (region_kind), how many
-- regions have a figure, whether Twente (GG_TWENTE) is one of them and whether any is
-- voorbeelddata, over ALL regions of the country. What the Vergelijken page and the "Twente
-- tussen de regio's" sections can compare is looked up here instead of scanning every
-- observation (a national store: 13 million rows). Built in memory by monitor/data/materialise.py
-- when first needed and after a data change.
-- params:
-- reads: observations
create or replace table comparison_counts as
select
    indicator_id,
    period,
    subgroup,
    region_kind,
    count(*)::bigint as regions,
    bool_or(region_code = 'GG_TWENTE') as has_twente,
    bool_or(is_sample) as is_sample
from observations
where value is not null
group by indicator_id, period, subgroup, region_kind
order by indicator_id, period, subgroup, region_kind
