-- The Veilig Thuis breakdowns that come from a cut-off file: CBS's feed stops at 10.000 rows,
-- and the importer writes "Bestand onvolledig" in such a source's note (it keeps only what the
-- file holds completely). The page says under those breakdowns which parts are not in the file,
-- so a cut-off breakdown is never shown as complete. Protected figures only (vt_published).
-- params:
-- reads: sources, vt_published
-- example: {}
select distinct v.breakdown, s.source_id, s.title, s.table_id
from vt_published v
join sources s using (source_id)
where v.breakdown <> 'totaal'
  and s.note like '%Bestand onvolledig%'
order by v.breakdown, s.source_id
