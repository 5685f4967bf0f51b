"""Tests of the defects found by attacking the monitor (issue 14): each class has tests here."""
