-- Veilig Thuis per half year for some regions: the total of one kind, every half year.
-- Protected figures only (vt_published: materialised from vt_reports_protected, rounded,
-- suppressed as 'klein'/'afgeschermd').
-- params: kind, region_codes
-- reads: vt_published
-- example: {"region_codes": ["GG_TWENTE", "GM0183"], "kind": "melding"}
select *
from vt_published
where list_contains($region_codes, region_code)
  and kind = $kind
  and breakdown = 'totaal'
  and category = 'totaal'
order by region_code, period
