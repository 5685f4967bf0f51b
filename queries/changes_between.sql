-- Phase changes that took effect after $since and on or before $peildatum (not undone), per
-- project: "what changed since the previous peildatum".
-- Used by: pages/overzicht.py
-- example: {"since": "2025-01-01", "peildatum": "2026-11-22"}
with undone as (
    select undoes as event_id from phase_events where undoes is not null
)
select p.themalijn, p.project_id, p.name as project_name, e.phase, e.effective_date, e.recorded_by, e.note
from phase_events e
join projects p using (project_id)
where e.undoes is null
  and e.event_id not in (select event_id from undone)
  and e.effective_date > cast($since as date)
  and e.effective_date <= cast($peildatum as date)
order by p.themalijn, e.effective_date desc
