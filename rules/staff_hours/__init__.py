"""Per-person working hours and absences: "in the responsible person's working hours"."""
