-- The voortgangsmeldingen that count, latest first (by checkin_date, then when recorded), with
-- the project's name and themalijn. $project_id NULL gives every project's.
-- params: project_id
-- reads: effective_checkins, projects
-- example: {"project_id": "kinderarmoede"}
select
    c.event_id,
    c.project_id,
    p.name as project_name,
    p.themalijn,
    c.checkin_date,
    c.period,
    c.judgement,
    c.note,
    c.phase,
    c.phase_date,
    c.recorded_at,
    c.recorded_by,
    c.recorded_by_email
from effective_checkins c
join projects p using (project_id)
where $project_id is null or c.project_id = $project_id
order by c.checkin_date desc, c.recorded_at desc, c.event_id desc
