-- The KPIs of one project with every effective realisation (undone ones left out; for a
-- period recorded twice, the latest recording counts).
-- params: project_id
-- reads: effective_kpi_realisations, project_kpis
-- example: {"project_id": "participatie-naar-vermogen"}
select
    k.kpi_id,
    k.name as kpi_name,
    k.unit,
    k.target_value,
    k.deadline,
    r.event_id,
    r.period,
    r.value,
    r.recorded_at,
    r.recorded_by,
    r.note,
    r.is_sample
from project_kpis k
left join effective_kpi_realisations r using (kpi_id)
where k.project_id = $project_id
order by k.kpi_id, r.period
