-- Who follows what now: per (email, subject) the latest follow event counts (undo events and
-- undone events left out); only subjects followed now.
-- params:
-- reads: follow_events
-- example: {}
with effective as (
    select *
    from follow_events
    where undoes is null
      and event_id not in (select undoes from follow_events where undoes is not null)
),
latest as (
    select lower(email) as email, subject_type, subject_id,
           arg_max(follow, (recorded_at, event_id)) as follow
    from effective
    group by lower(email), subject_type, subject_id
)
select email, subject_type, subject_id
from latest
where follow
order by email, subject_type, subject_id
