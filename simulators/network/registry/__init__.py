"""The reference registry of a roaming network (the OCN registry's rules, its state in SQLite)."""
