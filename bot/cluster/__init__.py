"""Several bot processes on one database: named leases, the leader, cross-process wake-ups."""
