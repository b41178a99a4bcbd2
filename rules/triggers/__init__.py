"""Triggers: a stage's answer to an event (a client's message or button, an incoming
webhook call, an activity marked done) — the item moves there and that stage's rules run."""
