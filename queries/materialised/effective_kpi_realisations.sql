-- Materialised: the KPI realisations that count: no undo events, nothing undone, and for a KPI and
-- period recorded more than once only the latest recording.
-- params:
-- reads: kpi_realisations
create or replace table effective_kpi_realisations as
select r.*
from kpi_realisations r
where r.undoes is null
  and r.event_id not in (select undoes from kpi_realisations where undoes is not null)
qualify row_number() over (partition by r.kpi_id, r.period order by r.recorded_at desc, r.event_id desc) = 1
