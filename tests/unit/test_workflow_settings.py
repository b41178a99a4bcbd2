"""DIGEST_TIME and TRIGGER_LISTEN_PORT as people write them in `.env`."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from pydantic import ValidationError

from bot.settings import Settings

TOKEN = "123456:TEST-TOKEN-abcdef"


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, bot_token=TOKEN, **values)


def test_digest_time_is_a_clock_time_or_empty_for_off() -> None:
    assert settings().digest_time == time(8, 30)
    assert settings(digest_time=" 7:05 ").digest_time == time(7, 5)
    assert settings(digest_time="").digest_time is None
    for wrong in ("25:00", "8.30", "morning"):
        with pytest.raises(ValidationError, match="DIGEST_TIME must look like 08:30"):
            settings(digest_time=wrong)


def test_the_trigger_listener_is_off_unless_a_port_is_given() -> None:
    assert settings().trigger_listen_port is None
    assert settings(trigger_listen_port="").trigger_listen_port is None
    assert settings(trigger_listen_port="0").trigger_listen_port == 0
    with pytest.raises(ValidationError):
        settings(trigger_listen_port="70000")
