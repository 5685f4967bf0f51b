-- KPI values recorded between $since (exclusive) and $until (in Dutch time), with the value of
-- the period before (previous_value, materialised with the realisations) and whether this value
-- reached the KPI's target (a KPI's target is a minimum: "doel gehaald" when value >= target)
-- where the one before did not.
-- params: since, until
-- reads: effective_kpi_realisations, project_kpis, projects
-- example: {"since": "2025-01-01", "until": "2026-12-07"}
select p.themalijn, p.project_id, p.name as project_name, k.kpi_id, k.name as kpi_name, k.unit,
       k.target_value, o.period, o.value, o.previous_value, o.is_sample, o.recorded_at, o.recorded_by,
       (o.value >= k.target_value and (o.previous_value is null or o.previous_value < k.target_value))
           as target_reached
from effective_kpi_realisations o
join project_kpis k using (kpi_id)
join projects p using (project_id)
where cast(timezone('Europe/Amsterdam', o.recorded_at) as date) > cast($since as date)
  and cast(timezone('Europe/Amsterdam', o.recorded_at) as date) <= cast($until as date)
order by p.themalijn, o.recorded_at desc, k.name
