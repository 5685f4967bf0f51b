-- Every project KPI with its project's name: the choices of the realisation form.
-- params:
-- reads: project_kpis, projects
select k.kpi_id, k.project_id, p.name as project_name, k.name, k.unit, k.target_value, k.deadline
from project_kpis k
join projects p using (project_id)
order by p.name, k.name
