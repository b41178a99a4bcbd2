"""The Telegram door of the CRM: one package per feature (its router factory, views, button
data and dialog states); the root holds the wiring (see README, Layout)."""
