-- The full phase history of one project, everything ever recorded (undo events included and
-- marked), newest first: who recorded what and when, and whether a row can still be undone
-- (recorded by a user, not an undo itself, not undone yet). ``recorded_by_email`` is null for the
-- built rows and for events recorded before it was kept.
-- params: project_id
-- reads: phase_events
-- example: {"project_id": "kinderarmoede"}
with undone as (
    select undoes as event_id, recorded_by as undone_by, recorded_at as undone_at
    from phase_events where undoes is not null
)
select
    e.event_id,
    e.phase,
    e.effective_date,
    e.recorded_at,
    e.recorded_by,
    e.recorded_by_email,
    e.note,
    e.undoes,
    u.undone_by,
    u.undone_at,
    (e.source_id = 'tk-registratie' and e.undoes is null and u.event_id is null) as undoable
from phase_events e
left join undone u using (event_id)
where e.project_id = $project_id
order by e.recorded_at desc, e.effective_date desc
