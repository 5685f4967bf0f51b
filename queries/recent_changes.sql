-- What changed: the most recent recorded changes (phase changes and KPI realisations, undo
-- events included) recorded on or before the peildatum. Built rows (the jaarplan's start
-- phases, voorbeelddata) are not changes and are left out.
-- Used by: pages/projecten.py
-- example: {"peildatum": "2026-11-22", "limit": 15}
select * from (
    select e.recorded_at, p.project_id, p.name as project_name,
           case when e.undoes is null then 'faseovergang' else 'ongedaan gemaakt' end as kind,
           'fase ' || e.phase || ' per ' || strftime(e.effective_date, '%d-%m-%Y') as what,
           e.recorded_by, e.note
    from phase_events e
    join projects p using (project_id)
    where e.source_id = 'tk-registratie'
    union all
    select r.recorded_at, p.project_id, p.name,
           case when r.undoes is null then 'KPI-realisatie' else 'ongedaan gemaakt' end,
           k.name || ', ' || r.period || ': ' || replace(cast(r.value as varchar), '.', ','),
           r.recorded_by, r.note
    from kpi_realisations r
    join project_kpis k using (kpi_id)
    join projects p on p.project_id = k.project_id
    where r.source_id = 'tk-registratie'
)
where cast(recorded_at as date) <= cast($peildatum as date)
order by recorded_at desc
limit $limit
