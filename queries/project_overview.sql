-- Every project with its phase at the peildatum (latest effective phase event on or before
-- it; undo events and the events they undo do not count), the date of its last change, and
-- the gemeenten where it runs locally (the materialised project_facts).
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
    coalesce(f.gemeenten, '') as gemeenten,
    coalesce(f.region_codes, []) as region_codes,
    coalesce(f.kpis, 0) as kpis
from projects p
left join latest l using (project_id)
left join project_facts f using (project_id)
order by p.themalijn, p.name
