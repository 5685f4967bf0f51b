-- The KPIs of a themalijn's projects with their latest effective realisation (undone ones left
-- out; for a period recorded twice the latest recording counts).
-- params: themalijn
-- reads: effective_kpi_realisations, project_kpis, projects
-- example: {"themalijn": "ouderen"}
with latest as (
    select * from effective_kpi_realisations
    qualify row_number() over (partition by kpi_id order by period desc) = 1
)
select p.name as project_name, k.kpi_id, k.name as kpi_name, k.unit, k.target_value, k.deadline,
       l.period, l.value, l.is_sample, l.recorded_at
from project_kpis k
join projects p using (project_id)
left join latest l using (kpi_id)
where p.themalijn = $themalijn
order by p.name, k.name
