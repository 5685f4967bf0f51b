-- The four themalijnen with their ambition (the jaarplan's own words) and headline indicators.
-- params:
-- reads: sources, themalijnen
select t.*, s.title as source_title, s.peildatum as source_peildatum
from themalijnen t
left join sources s using (source_id)
order by case t.themalijn when 'bestaanszekerheid' then 1 when 'preventie-en-gezondheid' then 2
                          when 'mentale-gezondheid' then 3 else 4 end
