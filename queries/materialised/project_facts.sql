-- Materialised: per project what does not depend on the peildatum: the gemeenten where it
-- runs locally (names and codes) and its number of KPIs. Read by project_overview.sql.
-- params:
-- reads: local_assignments, project_kpis, projects, regions
create or replace table project_facts as
with local as (
    select la.project_id,
           string_agg(r.name, ', ' order by r.name) as gemeenten,
           list(la.region_code order by r.name) as region_codes
    from local_assignments la
    join regions r using (region_code)
    group by la.project_id
),
kpis as (
    select project_id, count(*) as kpis from project_kpis group by project_id
)
select p.project_id,
       coalesce(lo.gemeenten, '') as gemeenten,
       coalesce(lo.region_codes, []) as region_codes,
       coalesce(k.kpis, 0) as kpis
from projects p
left join local lo using (project_id)
left join kpis k using (project_id)
