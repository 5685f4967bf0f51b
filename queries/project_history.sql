-- The full phase history of one project, everything ever recorded (undo events included and
-- marked), newest first: who recorded what and when, and whether a row can still be undone
-- (recorded by a user, not an undo itself, not undone yet). ``recorded_by_email`` is null for the
-- built rows and for events recorded before it was kept. The phase a voortgangsmelding confirmed
-- or changed is a row too (``via_checkin``; undone with its melding, so never undoable here).
-- params: project_id
-- reads: phase_events, checkins
-- example: {"project_id": "kinderarmoede"}
with undone as (
    select undoes as event_id, recorded_by as undone_by, recorded_at as undone_at
    from phase_events where undoes is not null
    union all
    select undoes, recorded_by, recorded_at
    from checkins where undoes is not null
),
history as (
    select e.event_id, e.phase, e.effective_date, e.recorded_at, e.recorded_by, e.recorded_by_email, e.note,
           e.undoes, e.source_id, false as via_checkin
    from phase_events e
    where e.project_id = $project_id
    union all
    select c.event_id, c.phase, c.phase_date, c.recorded_at, c.recorded_by, c.recorded_by_email, c.note,
           c.undoes, c.source_id, true
    from checkins c
    where c.project_id = $project_id and c.undoes is null
)
select
    h.event_id,
    h.phase,
    h.effective_date,
    h.recorded_at,
    h.recorded_by,
    h.recorded_by_email,
    h.note,
    h.undoes,
    u.undone_by,
    u.undone_at,
    (h.source_id = 'tk-registratie' and h.undoes is null and u.event_id is null and not h.via_checkin) as undoable,
    h.via_checkin
from history h
left join undone u using (event_id)
order by h.recorded_at desc, h.effective_date desc
