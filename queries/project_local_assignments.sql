-- Every local assignment (chapter 3.2 of the jaarplan) with region and project names: for
-- the gemeente × project matrix and the project detail.
-- params:
-- reads: local_assignments, projects, regions, sources
select
    la.region_code,
    r.name as region_name,
    r.level,
    la.project_id,
    p.name as project_name,
    p.themalijn,
    la.description,
    s.title as source_title,
    s.peildatum as source_peildatum
from local_assignments la
join regions r using (region_code)
join projects p using (project_id)
left join sources s on s.source_id = la.source_id
order by r.level desc, r.name, p.name
