"""Thin pytest-bdd steps, grouped by domain; loaded by the roamcert pytest plugin."""
