-- Every project with its phase at the peildatum (latest effective phase event on or before
-- it; undo events and the events they undo do not count), the plan its status is measured
-- against, what was registered, and the gemeenten where it runs locally (the materialised
-- project_facts).
--
-- The plan: the project's plan of the peildatum's year, else its newest plan before that year
-- (the peildatum lies after that plan's horizon), else its first plan (the peildatum lies
-- before every plan). A registration is an effective phase event that is not a plan's start
-- phase (a start phase is the event of a plan's source on that plan's start date); a
-- voortgangsmelding's confirmed or changed phase is one (effective_phase_events). The latest
-- voortgangsmelding on or before the peildatum gives its date and the owner's judgement, and
-- counts as a change for "niet bijgewerkt".
-- params: peildatum
-- reads: effective_checkins, effective_phase_events, project_facts, project_plans, projects, sources
-- example: {"peildatum": "2025-07-01"}
with effective as (
    select * from effective_phase_events where effective_date <= cast($peildatum as date)
),
ranked as (
    select pp.*,
           row_number() over (
               partition by pp.project_id
               order by case when pp.plan_year <= year(cast($peildatum as date)) then 0 else 1 end,
                        case when pp.plan_year <= year(cast($peildatum as date)) then -pp.plan_year
                             else pp.plan_year end
           ) as choice
    from project_plans pp
),
plan as (
    select r.project_id, r.plan_year, r.plan_start, r.plan_end, r.phase_start, r.phase_expected,
           r.source_id as plan_source_id, s.title as plan_title
    from ranked r
    left join sources s on s.source_id = r.source_id
    where r.choice = 1
),
registrations as (
    select e.*
    from effective e
    where not exists (
        select 1 from project_plans pp
        where pp.project_id = e.project_id and pp.source_id = e.source_id and pp.plan_start = e.effective_date
    )
),
latest as (
    select project_id,
           arg_max(phase, (effective_date, recorded_at)) as current_phase,
           max(effective_date) as last_change,
           count(*) as events
    from effective
    group by project_id
),
checked as (
    select project_id,
           max(checkin_date) as last_checkin_date,
           arg_max(judgement, (checkin_date, recorded_at, event_id)) as last_judgement
    from effective_checkins
    where checkin_date <= cast($peildatum as date)
    group by project_id
),
registered as (
    select r.project_id,
           max(r.effective_date) as last_registration,
           count(*) filter (where r.effective_date >= pl.plan_start) as registrations_since_start
    from registrations r
    join plan pl using (project_id)
    group by r.project_id
)
select
    p.project_id,
    p.name,
    p.themalijn,
    p.parent_project_id,
    pl.plan_year,
    pl.plan_title,
    pl.plan_start,
    pl.plan_end,
    (select max(plan_year) from project_plans) as newest_plan_year,
    pl.phase_start,
    coalesce(l.current_phase, pl.phase_start) as current_phase,
    pl.phase_expected,
    greatest(l.last_change, c.last_checkin_date) as last_change,
    c.last_checkin_date,
    c.last_judgement,
    g.last_registration,
    coalesce(g.registrations_since_start, 0) as registrations_since_start,
    coalesce(l.events, 0) as events,
    coalesce(f.gemeenten, '') as gemeenten,
    coalesce(f.region_codes, []) as region_codes,
    coalesce(f.kpis, 0) as kpis
from projects p
join plan pl using (project_id)
left join latest l using (project_id)
left join registered g using (project_id)
left join checked c using (project_id)
left join project_facts f using (project_id)
order by p.themalijn, p.name
