-- The effective phase events (not undone, not undo events) on or before the peildatum, with
-- the project's name: the input for the timeline.
-- params: peildatum
-- reads: effective_phase_events, projects
-- example: {"peildatum": "2025-07-01"}
select
    e.event_id,
    e.project_id,
    p.name as project_name,
    e.phase,
    e.effective_date,
    e.recorded_at,
    e.recorded_by,
    e.note
from effective_phase_events e
join projects p using (project_id)
where e.effective_date <= cast($peildatum as date)
order by p.name, e.effective_date, e.recorded_at
