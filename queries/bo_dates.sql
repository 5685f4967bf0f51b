-- The BO dates the beheerder recorded that count (undo events and undone events left out),
-- latest first.
-- params:
-- reads: bo_dates
-- example: {}
select b.event_id, b.bo_date, b.note, b.recorded_at, b.recorded_by
from bo_dates b
where b.undoes is null
  and b.event_id not in (select undoes from bo_dates where undoes is not null)
order by b.bo_date desc, b.recorded_at desc
