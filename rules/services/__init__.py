"""Use cases of the automation: managing rules, status, stopping, test mode."""
