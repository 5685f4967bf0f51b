-- Materialised: the totals of every Veilig Thuis-regio and Nederland as published (the view
-- vt_reports_sourced over vt_reports_protected, never the raw counts), for "Twente tussen de
-- Veilig Thuis-regio's" on the Veilig Thuis page. Twente is the row GG_TWENTE whose figure came
-- from the Veilig Thuis-regio (region_kind 'vt_regio'). Only figures their publisher protected
-- (protected_by, CBS: rounded to 5) with a count: raw counts exist for Twente's scope only.
-- params:
-- reads: regions, vt_reports_sourced
create or replace table vt_regio_published as
select v.*
from vt_reports_sourced v
join regions r using (region_code)
where v.breakdown = 'totaal'
  and v.category = 'totaal'
  and v.protected_by is not null
  and (r.level = 'vt_regio' or v.region_kind = 'vt_regio' or v.region_code = 'NL01')
order by v.kind, v.period, v.region_code
