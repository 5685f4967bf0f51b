"""Tests of the defects found by attacking the monitor: each class has tests here."""
