"""Decoding request parameters the way the Bot API reads them.

aiogram sends every field as a form value: strings as-is, everything else
(ints, bools, dicts, lists) JSON-encoded; files go multipart and the field holds
``attach://<name>``. Text-like fields are never JSON-decoded so a message text of
"123" or "true" stays a string.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from .errors import bad_request
from .records import UploadedFile

STRING_FIELDS = frozenset({
    "text", "caption", "parse_mode", "callback_query_id", "inline_message_id", "url",
    "description", "short_description", "name", "title", "action", "file_id",
    "language_code", "query", "secret_token", "ip_address", "emoji", "business_connection_id",
    "document", "photo", "audio", "video", "voice", "animation", "sticker", "video_note",
    "thumbnail", "certificate", "question", "address", "first_name", "last_name",
})


async def read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = {key: _decode(key, value) for key, value in request.query.items()}
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        params.update(body)
        return params
    form = await request.post()
    files: dict[str, UploadedFile] = {}
    for key, value in form.items():
        if isinstance(value, FileField):
            try:
                content = value.file.read()
            finally:
                value.file.close()  # aiohttp spools to temp files; close to avoid ResourceWarning
            files[key] = UploadedFile(value.filename, content, value.content_type)
        else:
            params[key] = _decode(key, value)
    return _attach_files(params, files)


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id="@channel"


def _attach_files(params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
    """Replace ``attach://name`` references with the uploaded file, at any depth."""

    def resolve(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("attach://"):
            return files.get(value.removeprefix("attach://"), value)
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value

    resolved = {key: resolve(value) for key, value in params.items()}
    referenced = {id(f) for f in _walk(resolved) if isinstance(f, UploadedFile)}
    for key, upload in files.items():  # direct uploads without attach:// (e.g. curl -F)
        if id(upload) not in referenced:
            resolved.setdefault(key, upload)
    return resolved


def _walk(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [item for v in value.values() for item in _walk(v)]
    if isinstance(value, list):
        return [item for v in value for item in _walk(v)]
    return [value]


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
