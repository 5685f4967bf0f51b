-- The half years with Veilig Thuis figures, oldest first (protected view only).
-- Used by: pages/veilig_thuis.py (the Halfjaar choice)
-- example: {}
select distinct period
from vt_reports_protected
order by period
