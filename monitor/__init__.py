"""Twentse Koers Monitor: data contract, importers, query layer and helpers."""
