"""Domain logic, pure: status, phases, targets, compare, text and periods, regions, privacy."""
