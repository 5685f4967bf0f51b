-- New figures imported between $since (exclusive) and $until: sources retrieved in that window
-- (voorbeelddata left out), per indicator they feed and its themalijn (NULL: no themalijn).
-- params: since, until
-- reads: indicators, observation_counts, sources
-- example: {"since": "2025-01-01", "until": "2026-12-07"}
with fed as (
    select distinct source_id, indicator_id from observation_counts
)
select i.themalijn, i.indicator_id, i.name as indicator_name, s.source_id, s.title, s.publisher,
       s.peildatum, s.retrieved
from sources s
join fed f using (source_id)
join indicators i using (indicator_id)
where not s.is_sample
  and s.retrieved > cast($since as date)
  and s.retrieved <= cast($until as date)
order by i.themalijn, s.retrieved desc, i.name
