-- Every gemeente of the Netherlands with CBS's classification (85385NED), the Twente gemeenten
-- marked: the gemeente pickers of the Vergelijken page.
-- params:
-- reads: regions
-- example: {}
select
    region_code,
    name as region_name,
    parent_code = 'GG_TWENTE' as is_twente,
    size_class_name,
    urbanity_name,
    inhabitants
from regions
where level = 'gemeente'
order by name, region_code
