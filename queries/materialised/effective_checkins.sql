-- Materialised: the voortgangsmeldingen that count: no undo events and nothing undone. At most
-- one per project and period (the writer refuses a second one; should two exist anyway, for
-- example from a copied folder, the latest recorded counts).
-- params:
-- reads: checkins
create or replace table effective_checkins as
select c.*
from checkins c
where c.undoes is null
  and c.event_id not in (select undoes from checkins where undoes is not null)
qualify row_number() over (partition by c.project_id, c.period order by c.recorded_at desc, c.event_id desc) = 1
