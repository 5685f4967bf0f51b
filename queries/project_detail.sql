-- One project: register fields and its source.
-- params: project_id
-- reads: projects, sources
-- example: {"project_id": "kinderarmoede"}
select p.*, parent.name as parent_name, s.title as source_title, s.peildatum as source_peildatum
from projects p
left join projects parent on parent.project_id = p.parent_project_id
left join sources s on s.source_id = p.source_id
where p.project_id = $project_id
