-- Materialised: how many rows every source contributes to the datasets (Veilig Thuis from the
-- protected figures), counted once per data change instead of on every visit of Bronnen.
-- params:
-- reads: kpi_realisations, local_assignments, observation_counts, population, project_kpis, projects, quotes, region_shapes, targets, vt_reports_protected
create or replace table source_rows as
select source_id, sum(n)::bigint as n
from (
    select source_id, sum(observations) as n from observation_counts group by all
    union all select source_id, count(*) from population group by all
    union all select source_id, count(*) from projects group by all
    union all select source_id, count(*) from project_kpis group by all
    union all select source_id, count(*) from kpi_realisations group by all
    union all select source_id, count(*) from targets group by all
    union all select source_id, count(*) from quotes group by all
    union all select source_id, count(*) from local_assignments group by all
    union all select source_id, count(*) from vt_reports_protected group by all
    union all select source_id, count(*) from region_shapes group by all
)
group by source_id
