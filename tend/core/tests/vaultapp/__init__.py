"""A test-only app with a model that uses encrypted fields (installed by config/test_settings)."""
