-- Phase changes that took effect after $since and on or before $until (not undone): only where
-- the phase differs from the project's phase before it, so a voortgangsmelding that confirms the
-- phase is no change (it is listed as a melding); one that changes it is.
-- params: since, until
-- reads: effective_phase_events, projects
-- example: {"since": "2025-01-01", "until": "2026-12-07"}
with ordered as (
    select e.*, lag(e.phase) over (partition by e.project_id
                                   order by e.effective_date, e.recorded_at, e.event_id) as previous_phase
    from effective_phase_events e
    where e.effective_date <= cast($until as date)
)
select p.themalijn, p.project_id, p.name as project_name, o.phase, o.previous_phase, o.effective_date,
       o.recorded_by, o.note, o.checkin_id
from ordered o
join projects p using (project_id)
where o.effective_date > cast($since as date)
  and (o.previous_phase is null or o.phase <> o.previous_phase)
order by p.themalijn, o.effective_date desc
