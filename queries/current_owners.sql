-- The owners as they are now: per project its projectleider and the themaleider of its
-- themalijn, per KPI its kpi-eigenaar (the project's projectleider unless one is named), and per
-- themalijn its themaleider. One row per subject, also when nobody is named (email NULL): the
-- latest owner event per subject and role counts (undo events and undone events do not), an
-- event with email NULL removes the owner. Subjects that no longer exist are left out.
-- params:
-- reads: owner_events, projects, project_kpis, themalijnen
-- example: {}
with effective as (
    select *
    from owner_events
    where undoes is null
      and event_id not in (select undoes from owner_events where undoes is not null)
),
latest as (
    select subject_type, subject_id, email, name, recorded_at as since
    from effective
    qualify row_number() over (partition by subject_type, subject_id order by recorded_at desc, event_id desc) = 1
),
named as (
    select * from latest where email is not null
),
subjects as (
    select 'project' as subject_type, p.project_id as subject_id, p.name as subject_name,
           p.project_id, p.themalijn
    from projects p
    union all
    select 'kpi', k.kpi_id, k.name, k.project_id, p.themalijn
    from project_kpis k join projects p using (project_id)
    union all
    select 'themalijn', t.themalijn, t.name, cast(null as varchar), t.themalijn
    from themalijnen t
)
select
    s.subject_type,
    s.subject_id,
    s.subject_name,
    s.project_id,
    s.themalijn,
    case s.subject_type when 'project' then 'projectleider' when 'themalijn' then 'themaleider'
         else 'kpi-eigenaar' end as role,
    coalesce(own.email, case when s.subject_type = 'kpi' then po.email end) as email,
    coalesce(own.name, case when s.subject_type = 'kpi' then po.name end) as name,
    (own.email is null and s.subject_type = 'kpi' and po.email is not null) as inherited,
    own.since,
    tl.email as themaleider_email,
    tl.name as themaleider_name
from subjects s
left join named own on own.subject_type = s.subject_type and own.subject_id = s.subject_id
left join named po on po.subject_type = 'project' and po.subject_id = s.project_id
left join named tl on tl.subject_type = 'themalijn' and tl.subject_id = s.themalijn
order by s.themalijn, s.subject_type, s.subject_id
