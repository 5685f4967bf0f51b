"""Data layer: the contract and catalogue, the store and events, the query runner (db), the SQL sandbox and its worker, builds."""
