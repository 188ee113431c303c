"""roamcert's scenarios run through its own pytest plugin."""

pytest_plugins = ["conformance.pytest_plugin"]
