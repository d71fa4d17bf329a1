"""Test-only code: the hostile web of the fault matrix, a throw-away Redis server."""
