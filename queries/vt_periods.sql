-- The half years with Veilig Thuis figures, oldest first (protected figures only: vt_published).
-- params:
-- reads: vt_published
-- example: {}
select distinct period
from vt_published
order by period
