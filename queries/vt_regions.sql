-- Veilig Thuis: every Veilig Thuis-regio and Nederland in one half year, the total of every kind
-- as published (count, CBS's rate per 1.000 = per 100.000 / 100), for "Twente tussen de Veilig
-- Thuis-regio's" (the chosen kind ranked; the inhabitants for the funnel from the kind with the
-- largest count). Protected figures only (vt_regio_published, from vt_reports_protected).
-- params: period
-- reads: vt_regio_published
-- example: {"period": "2024H1"}
select *
from vt_regio_published
where period = $period
order by kind, region_code
