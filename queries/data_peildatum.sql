-- The latest peildatum of the real (non-sample) sources, and whether any voorbeelddata is loaded.
-- params:
-- reads: sources
select
    max(peildatum) filter (where not is_sample) as peildatum,
    bool_or(is_sample) as has_sample,
    count(*) as sources
from sources
