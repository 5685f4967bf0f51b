-- What can be compared for some indicators: per indicator, period, subgroup and kind of region
-- (region_kind) how many regions have a figure and whether Twente (GG_TWENTE) is one of them.
-- The Vergelijken page and the "Twente tussen de regio's" sections pick their period and the
-- kind of Twente's figure from it.
-- params: indicator_ids
-- reads: observations
-- example: {"indicator_ids": ["overgewicht", "wanbetalers_zorgpremie"]}
select
    indicator_id,
    period,
    subgroup,
    region_kind,
    count(*) as regions,
    bool_or(region_code = 'GG_TWENTE') as has_twente,
    bool_or(is_sample) as is_sample
from observations
where indicator_id = any($indicator_ids)
  and value is not null
group by indicator_id, period, subgroup, region_kind
order by indicator_id, period, subgroup, region_kind
