-- Veilig Thuis for one region, kind and half year: the total and every breakdown (aard van
-- het geweld; soort melder for adviezen and meldingen).
-- Protected figures only (vt_published: materialised from vt_reports_protected, rounded,
-- suppressed as 'klein'/'afgeschermd').
-- params: kind, period, region_code
-- reads: vt_published
-- example: {"region_code": "GM0183", "kind": "melding", "period": "2024H1"}
select *
from vt_published
where region_code = $region_code
  and kind = $kind
  and period = $period
order by breakdown, category
