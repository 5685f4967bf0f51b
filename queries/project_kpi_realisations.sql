-- The KPIs of one project with every effective realisation (undone ones left out; for a
-- period recorded twice, the latest recording counts).
-- Used by: pages/projecten.py (project detail)
-- example: {"project_id": "participatie-naar-vermogen"}
with undone as (
    select undoes as event_id from kpi_realisations where undoes is not null
),
effective as (
    select r.*
    from kpi_realisations r
    where r.undoes is null and r.event_id not in (select event_id from undone)
    qualify row_number() over (partition by r.kpi_id, r.period order by r.recorded_at desc, r.event_id desc) = 1
)
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
left join effective r using (kpi_id)
where k.project_id = $project_id
order by k.kpi_id, r.period
