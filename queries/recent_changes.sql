-- What changed: the most recent recorded changes (phase changes and KPI realisations, undo
-- events included) recorded on or before the peildatum, with what a row needs to be undone
-- next to it (table, event, whether it is an undo or already undone). Built rows (the
-- jaarplan's start phases, voorbeelddata) are not changes and are left out. Pages write the
-- sentence ("fase Ontwerp per 01-03-2025", "4e kwartaal 2025: 12") in Dutch themselves.
-- params: limit, peildatum
-- reads: kpi_realisations, phase_events, project_kpis, projects
-- example: {"peildatum": "2026-11-22", "limit": 15}
with undone as (
    select undoes as event_id from phase_events where undoes is not null
    union all
    select undoes from kpi_realisations where undoes is not null
)
select * from (
    select e.recorded_at, p.project_id, p.name as project_name, 'phase_events' as table_name, e.event_id,
           e.undoes, e.event_id in (select event_id from undone) as is_undone,
           e.phase, e.effective_date, null::varchar as kpi_name, null::varchar as unit,
           null::varchar as period, null::double as value, e.recorded_by, e.note
    from phase_events e
    join projects p using (project_id)
    where e.source_id = 'tk-registratie'
    union all
    select r.recorded_at, p.project_id, p.name, 'kpi_realisations', r.event_id,
           r.undoes, r.event_id in (select event_id from undone),
           null, null, k.name, k.unit, r.period, r.value, r.recorded_by, r.note
    from kpi_realisations r
    join project_kpis k using (kpi_id)
    join projects p on p.project_id = k.project_id
    where r.source_id = 'tk-registratie'
)
where cast(recorded_at as date) <= cast($peildatum as date)
order by recorded_at desc, event_id
limit $limit
