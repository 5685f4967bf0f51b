-- Gemeente boundaries (GeoJSON geometry per region) with their source, for the maps.
-- params:
-- reads: region_shapes, sources
select g.region_code, g.name, g.geometry, s.title as source_title, s.peildatum as source_peildatum
from region_shapes g
left join sources s using (source_id)
order by g.region_code
