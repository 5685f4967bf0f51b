-- Every realisation recorded for the KPIs of one project (undo events included and marked),
-- newest first, and whether a row can still be undone (recorded by a user, not an undo
-- itself, not undone yet). Voorbeelddata rows are built, not recorded, and are left out.
-- params: project_id
-- reads: kpi_realisations, project_kpis
-- example: {"project_id": "participatie-naar-vermogen"}
with undone as (
    select undoes as event_id, recorded_by as undone_by, recorded_at as undone_at
    from kpi_realisations where undoes is not null
)
select
    r.event_id,
    k.kpi_id,
    k.name as kpi_name,
    k.unit,
    r.period,
    r.value,
    r.recorded_at,
    r.recorded_by,
    r.note,
    r.undoes,
    u.undone_by,
    u.undone_at,
    (r.undoes is null and u.event_id is null) as undoable
from kpi_realisations r
join project_kpis k using (kpi_id)
left join undone u using (event_id)
where k.project_id = $project_id
  and r.source_id = 'tk-registratie'
order by r.recorded_at desc, r.event_id
