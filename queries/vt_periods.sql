-- The half years with Veilig Thuis figures, oldest first (protected figures only: vt_published).
-- Used by: pages/veilig_thuis.py (the Halfjaar choice)
-- example: {}
select distinct period
from vt_published
order by period
