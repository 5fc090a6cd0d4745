"""Exports and reports: summary table, profiles, map and chart images."""
