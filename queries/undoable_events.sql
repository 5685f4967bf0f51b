-- Recorded changes that can still be undone: recorded by a user (not the built jaarplan
-- start phases or voorbeelddata), not an undo themselves, and not undone yet. Newest first.
-- Used by: monitor/project_views.py
with phase_undone as (
    select undoes as event_id from phase_events where undoes is not null
),
kpi_undone as (
    select undoes as event_id from kpi_realisations where undoes is not null
)
select * from (
    select 'phase_events' as table_name, e.event_id, e.project_id, e.recorded_at,
           p.name || ': fase ' || e.phase || ' per ' || strftime(e.effective_date, '%d-%m-%Y')
               || ' (vastgelegd door ' || e.recorded_by || ')' as label
    from phase_events e
    join projects p using (project_id)
    where e.undoes is null
      and e.event_id not in (select event_id from phase_undone)
      and e.source_id = 'tk-registratie'
    union all
    select 'kpi_realisations', r.event_id, k.project_id, r.recorded_at,
           k.name || ': ' || r.period || ' = ' || replace(cast(r.value as varchar), '.', ',')
               || ' (vastgelegd door ' || r.recorded_by || ')'
    from kpi_realisations r
    join project_kpis k using (kpi_id)
    where r.undoes is null
      and r.event_id not in (select event_id from kpi_undone)
      and r.source_id = 'tk-registratie'
)
order by recorded_at desc
