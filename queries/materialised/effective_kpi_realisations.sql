-- Materialised: the KPI realisations that count: no undo events, nothing undone, a value given
-- with a voortgangsmelding only while that melding counts (not undone, and written: the melding's
-- file is written last, so values of a melding that could not be saved never count), and for a
-- KPI and period recorded more than once only the latest recording, a real value always before
-- voorbeelddata (a generated value never hides one a person recorded, whenever the build ran).
-- previous_value: the KPI's value of the period before (what "Wat is er veranderd" compares with).
-- params:
-- reads: kpi_realisations, effective_checkins
create or replace table effective_kpi_realisations as
select e.*, lag(e.value) over (partition by e.kpi_id order by e.period) as previous_value
from (
    select r.*
    from kpi_realisations r
    where r.undoes is null
      and r.event_id not in (select undoes from kpi_realisations where undoes is not null)
      and (r.checkin_id is null or r.checkin_id in (select event_id from effective_checkins))
    qualify row_number() over (partition by r.kpi_id, r.period order by r.is_sample, r.recorded_at desc, r.event_id desc) = 1
) e
