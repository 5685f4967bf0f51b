-- Counts for the start page: what the monitor holds. gemeenten: the Twente gemeenten the pages
-- show (the store also holds every other gemeente of the Netherlands, for comparison).
-- params:
-- reads: indicators, observation_counts, projects, regions, sources
select
    (select count(*) from projects) as projects,
    (select count(distinct themalijn) from projects) as themalijnen,
    (select count(*) from indicators) as indicators,
    (select coalesce(sum(observations), 0)::bigint from observation_counts where not is_sample) as real_observations,
    (select coalesce(sum(observations), 0)::bigint from observation_counts where is_sample) as sample_observations,
    (select count(*) from regions where level = 'gemeente' and parent_code = 'GG_TWENTE') as gemeenten,
    (select count(*) from sources where not is_sample) as real_sources,
    (select max(peildatum) from sources where not is_sample) as peildatum
