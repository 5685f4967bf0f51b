-- What can be compared for some indicators: per indicator, period, subgroup and kind of region
-- (region_kind), in one subgroup, how many regions have a figure and whether Twente
-- (GG_TWENTE) is one of them.
-- The Vergelijken page and the "Twente tussen de regio's" sections pick their period and the
-- kind of Twente's figure from it. Read from the materialised counts (comparison_counts), not
-- from every observation.
-- params: indicator_ids, subgroup
-- reads: comparison_counts
-- example: {"indicator_ids": ["overgewicht", "wanbetalers_zorgpremie"], "subgroup": "totaal"}
select
    indicator_id,
    period,
    subgroup,
    region_kind,
    regions,
    has_twente,
    is_sample
from comparison_counts
where indicator_id = any($indicator_ids)
  and subgroup = $subgroup
order by indicator_id, period, subgroup, region_kind
