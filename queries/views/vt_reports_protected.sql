-- View: the Veilig Thuis figures as they may be published; the ONLY file that reads the
-- private schema vt_private (raw counts; loaded by monitor/data/private_schema.py). Every page, download and
-- the SQL page read this view, never the raw table.
--
-- * count: the true count rounded to a multiple of vt_private.settings.rounding (halves
--   up, in integer arithmetic; monitor.domain.privacy.round_count does the same), NULL when the
--   cell is suppressed.
-- * Rows whose publisher already protected them (protected_by = 'CBS': CBS rounds Veilig
--   Thuis counts to 5 and leaves a hidden figure empty) are passed on as published: count as
--   CBS gives it, suppression 'bron' for an empty cell, per_1000 as CBS gives it (per 100.000
--   / 100). Everything below is the monitor's own protection, for raw counts.
-- * suppression: NULL (published), 'klein' (true count below min_count, or not published
--   by the source) or 'afgeschermd' (complementary suppression, so that no total, subtotal
--   or sum over gemeenten, categories or reporters reveals a small cell). The pattern is
--   computed by monitor.domain.privacy_suppression.suppression_pattern into vt_private.cells.suppression.
--   Belt and braces: a raw count below min_count is 'klein' here whatever the pattern says.
-- * per_1000: from the ROUNDED count (a back-calculation gives the published count, never
--   the true one); inhabitants of the region in the latest population year up to the
--   period's year, else the earliest year there is.
-- Periods are half years only: no year total is ever published (a year total minus one
-- half year would reveal the other).
-- params:
-- reads: population, regions, vt_private.cells, vt_private.settings
-- creates: vt_reports_protected, vt_privacy_status
create or replace view vt_reports_protected as
with settings as (
    select min_count, rounding from vt_private.settings limit 1
),
cells as (
    select c.region_code, c.region_kind, c.period, c.kind, c.breakdown, c.category, c.is_sample, c.source_id,
           c.protected_by, c.per_1000 as source_per_1000,
           case
               when c.protected_by is not null then
                   case when c.count is null then 'bron' end
               when c.count is null or c.count < s.min_count then 'klein'
               else c.suppression
           end as suppression,
           case
               when c.protected_by is not null then c.count
               when c.count is null or c.count < s.min_count or c.suppression is not null then null
               else (2 * c.count + s.rounding) // (2 * s.rounding) * s.rounding
           end as published,
           s.min_count,
           cast(left(c.period, 4) as bigint) as year
    from vt_private.cells c
    cross join settings s
),
population_years as (
    select k.region_code, k.year,
           coalesce(max(p.year) filter (where p.year <= k.year), min(p.year)) as population_year
    from (select distinct region_code, year from cells) k
    join population p on p.region_code = k.region_code and p.age_group = 'totaal'
    group by k.region_code, k.year
)
select c.region_code,
       r.name as region_name,
       cast(c.region_kind as varchar) as region_kind,
       c.period,
       c.kind,
       c.breakdown,
       c.category,
       cast(c.published as bigint) as count,
       cast(c.suppression as varchar) as suppression,
       cast(c.min_count as bigint) as min_count,
       cast(p.inhabitants as bigint) as inhabitants,
       cast(y.population_year as bigint) as population_year,
       case
           when c.protected_by is not null then c.source_per_1000
           when c.published is null or p.inhabitants is null or p.inhabitants = 0 then null
           else c.published / p.inhabitants * 1000
       end::double as per_1000,
       cast(c.protected_by as varchar) as protected_by,
       c.is_sample,
       c.source_id
from cells c
left join regions r on r.region_code = c.region_code
left join population_years y on y.region_code = c.region_code and y.year = c.year
left join population p on p.region_code = c.region_code and p.year = y.population_year and p.age_group = 'totaal';

-- The state of the protection: the threshold and rounding in force, and (error) a Dutch
-- message when the Veilig Thuis figures could not be loaded (unreadable file, invalid
-- settings); NULL when all is well. Pages show the message instead of an empty chart.
create or replace view vt_privacy_status as
select cast(min_count as bigint) as min_count,
       cast(rounding as bigint) as rounding,
       cast(error as varchar) as error
from vt_private.settings;
