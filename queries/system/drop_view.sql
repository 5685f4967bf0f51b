-- Drop a view of the data layer's own (a name is an identifier, not a parameter).
-- params:
-- reads:
-- identifiers: view
drop view "{view}"
