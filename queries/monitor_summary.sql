-- Counts for the start page: what the monitor holds.
-- params:
-- reads: indicators, observation_counts, projects, regions, sources
select
    (select count(*) from projects) as projects,
    (select count(distinct themalijn) from projects) as themalijnen,
    (select count(*) from indicators) as indicators,
    (select coalesce(sum(observations), 0)::bigint from observation_counts where not is_sample) as real_observations,
    (select coalesce(sum(observations), 0)::bigint from observation_counts where is_sample) as sample_observations,
    (select count(*) from regions where level = 'gemeente') as gemeenten,
    (select count(*) from sources where not is_sample) as real_sources,
    (select max(peildatum) from sources where not is_sample) as peildatum
