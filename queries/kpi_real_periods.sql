-- Per KPI the periods that have a real value (voorbeelddata does not count): what the reminders
-- and "Wie moet nog melden" check the last quarter against.
-- params:
-- reads: effective_kpi_realisations
-- example: {}
select distinct kpi_id, period
from effective_kpi_realisations
where not is_sample
order by kpi_id, period
