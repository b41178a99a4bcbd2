"""Recurring work: schedules that copy an item (recurring deals), and their worker."""
