-- Veilig Thuis in one half year for every region (the gemeenten, Twente and, once imported,
-- Nederland): the total of one kind, with the rate per 1.000 inwoners.
-- Protected figures only (vt_published: materialised from vt_reports_protected, rounded,
-- suppressed as 'klein'/'afgeschermd').
-- params: kind, period
-- reads: regions, vt_published
-- example: {"kind": "melding", "period": "2024H1"}
select v.*, r.level
from vt_published v
left join regions r using (region_code)
where v.kind = $kind
  and v.period = $period
  and v.breakdown = 'totaal'
  and v.category = 'totaal'
order by r.level, v.region_name
