"""Pure functions from domain read models to message text and inline keyboards."""
