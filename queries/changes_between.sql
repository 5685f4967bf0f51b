-- Phase changes that took effect after $since and on or before $peildatum (not undone), per
-- project: "what changed since the previous peildatum".
-- params: peildatum, since
-- reads: effective_phase_events, projects
-- example: {"since": "2025-01-01", "peildatum": "2026-11-22"}
select p.themalijn, p.project_id, p.name as project_name, e.phase, e.effective_date, e.recorded_by, e.note
from effective_phase_events e
join projects p using (project_id)
where e.effective_date > cast($since as date)
  and e.effective_date <= cast($peildatum as date)
order by p.themalijn, e.effective_date desc
