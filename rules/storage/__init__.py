"""SQL of the rules engine: rules, their runs, the outbox. Repositories never commit."""
