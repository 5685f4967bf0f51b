-- The Veilig Thuis protection in force: threshold, rounding and (error) a Dutch message when
-- the figures could not be loaded; plus how many protected rows there are.
-- params:
-- reads: vt_privacy_status, vt_published
-- example: {}
select
    s.min_count,
    s.rounding,
    s.error,
    (select count(*) from vt_published)::bigint as rows
from vt_privacy_status s
