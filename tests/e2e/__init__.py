"""Browser (end-to-end) tests; fixtures in conftest.py."""
