-- Materialised: the phase events that count. An undo event withdraws the event it names; neither
-- the undo nor the undone event counts. Every project query builds on this view.
-- params:
-- reads: phase_events
create or replace table effective_phase_events as
select e.*
from phase_events e
where e.undoes is null
  and e.event_id not in (select undoes from phase_events where undoes is not null)
