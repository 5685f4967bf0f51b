-- Every project with its phase at the peildatum (latest effective phase event on or before
-- it; undo events and the events they undo do not count), the date of its last change, and
-- the gemeenten where it runs locally.
-- Used by: pages/projecten.py
-- example: {"peildatum": "2025-07-01"}
with effective as (
    select * from effective_phase_events where effective_date <= cast($peildatum as date)
),
latest as (
    select project_id,
           arg_max(phase, (effective_date, recorded_at)) as current_phase,
           max(effective_date) as last_change,
           count(*) as events
    from effective
    group by project_id
),
local as (
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
select
    p.project_id,
    p.name,
    p.themalijn,
    p.parent_project_id,
    p.phase_start,
    coalesce(l.current_phase, p.phase_start) as current_phase,
    p.phase_expected,
    l.last_change,
    coalesce(l.events, 0) as events,
    coalesce(lo.gemeenten, '') as gemeenten,
    coalesce(lo.region_codes, []) as region_codes,
    coalesce(k.kpis, 0) as kpis
from projects p
left join latest l using (project_id)
left join local lo using (project_id)
left join kpis k using (project_id)
order by p.themalijn, p.name
