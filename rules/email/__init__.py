"""E-mail: the outbox channel "email", delivered through SMTP (aiosmtplib)."""
