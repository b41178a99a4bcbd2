"""The pipeline board: a Telegram Mini App served by the bot (issue 16)."""
