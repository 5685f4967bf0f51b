-- Materialised: the phase events that count. An undo event withdraws the event it names; neither
-- the undo nor the undone event counts. A voortgangsmelding counts as a phase event too: the
-- phase it confirms or changes, from its phase_date (``checkin_id`` names it; NULL for a
-- phase event of its own). Every project query builds on this view.
-- params:
-- reads: phase_events, effective_checkins
create or replace table effective_phase_events as
select e.*, cast(null as varchar) as checkin_id
from phase_events e
where e.undoes is null
  and e.event_id not in (select undoes from phase_events where undoes is not null)
union all
select c.event_id, c.project_id, c.phase, c.phase_date as effective_date, c.recorded_at, c.recorded_by,
       c.note, c.source_id, c.undoes, c.recorded_by_email, c.recorded_by_sub, c.event_id as checkin_id
from effective_checkins c
