"""The morning digest: every salesperson's failed automation, items waiting longest and
activities due today, in one message with buttons that open each item."""
