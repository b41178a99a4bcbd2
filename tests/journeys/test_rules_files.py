"""Rules as a YAML file in the chat: /rules export sends rules.yaml; /rules import and the
file (or the file with the caption) imports it all or nothing, naming every problem's line;
and the rules screens in German."""

from __future__ import annotations

import yaml

from bot.app import CrmBot
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.automation_steps import add_rule
from tests.journeys.rules_steps import rules_in, tap
from tests.journeys.steps import admin, say

BROKEN = """\
version: 1
rules:
  - key: cheer
    type: deal
    stage: won
    kind: notify_responsible
    params: {text: "Won {{ item.title }}"}
  - key: nowhere
    type: deal
    stage: moon
    kind: notify_responsible
    params: {text: Hi}
  - key: odd
    type: deal
    stage: won
    kind: message_client
    params: {text: Hi}
    condition: amount >> 5
"""


async def send_file(tg: FakeTelegram, user: FakeUser, name: str, content: str,
                    caption: str | None = None) -> SentMessage:
    since = len(tg.sent)
    user.send_document(name, content.encode("utf-8"), caption)
    return await tg.wait_for_message(user.id, since=since)


async def test_export_then_import_round_trip(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible", {"text": "Won {{ item.title }}"},
                   title="Cheer")
    await add_rule(crm, ADMIN_ID, "lost", "message_client", {"template": "messages/thank_you.j2"},
                   title="Thank anyway")
    exported = await say(tg, ada, "/rules export")
    assert exported.kind == "document" and exported.filename == "rules.yaml"
    assert "send it back with /rules import" in exported.rendered
    data = yaml.safe_load((exported.document or b"").decode("utf-8"))
    assert [r["title"] for r in data["rules"]] == ["Cheer", "Thank anyway"]

    data["rules"][0]["title"] = "Cheer loudly"
    data["rules"].append({"type": "deal", "stage": "new", "kind": "notify_responsible",
                          "title": "Fresh", "params": {"text": "New: {{ item.title }}"},
                          "timing": "after 10 minutes", "condition": "amount > 100"})
    asked = await say(tg, ada, "/rules import")
    assert "Send me the rules file (.yaml)" in asked.rendered
    assert "Please send the .yaml file" in (await say(tg, ada, "here it comes")).rendered
    done = await send_file(tg, ada, "rules.yaml", yaml.safe_dump(data, allow_unicode=True))
    assert "✅ Rules imported: 1 added, 2 updated." in done.rendered
    assert [r.title for r in await rules_in(crm, "won")] == ["Cheer loudly"]
    fresh = (await rules_in(crm, "new"))[0]
    assert (fresh.title, fresh.timing.amount) == ("Fresh", 10)

    again = await send_file(tg, ada, "rules.yaml", (exported.document or b"").decode(),
                            caption="/rules import")
    assert "✅ Rules imported: 0 added, 2 updated." in again.rendered
    assert [r.title for r in await rules_in(crm, "won")] == ["Cheer"]


async def test_an_import_with_problems_names_their_lines_and_changes_nothing(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/rules import")
    answer = await send_file(tg, ada, "rules.yaml", BROKEN)
    text = answer.rendered
    assert "The file was not imported — nothing was changed" in text
    assert "• line 10: There is no stage “moon”" in text
    assert "• line 18: The condition cannot be read at position 9: a value is missing" in text
    assert "line 3" not in text and "line 4" not in text  # the good rule has no problem
    assert await rules_in(crm, "won") == []
    not_yaml = await send_file(tg, ada, "rules.txt", "hello")
    assert "That is not a .yaml file" in not_yaml.rendered
    fixed = BROKEN.replace("stage: moon", "stage: lost").replace("amount >> 5", "amount > 5")
    done = await send_file(tg, ada, "rules.yml", fixed)
    assert "3 added, 0 updated" in done.rendered


async def test_a_yaml_bomb_is_refused_in_the_users_language(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    laughs = "".join(f"    l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9) if n else 'lol'}]\n"
                     for n in range(10))
    bomb = BROKEN.split("  - key: nowhere")[0] + "    anchors:\n" + laughs + "    title: *l9\n"
    await say(tg, ada, "/rules import")
    answer = await send_file(tg, ada, "rules.yaml", bomb)
    assert "• Zeile 10: Anker und Aliase (&name, *name) sind nicht erlaubt" in (
        answer.rendered)
    deep = await send_file(tg, ada, "rules.yaml", BROKEN + "    params: " + "[" * 5000)
    assert "Mehr als 50 Ebenen tief verschachtelt" in deep.rendered
    assert await rules_in(crm, "won") == []


async def test_the_rules_screens_speak_german(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible", {"text": "Gewonnen!"},
                   title="Jubeln", condition={"all": [
                       {"field": "item.amount", "op": ">", "value": "100"}]})
    home = await say(tg, ada, "/rules")
    assert "Automatisierungsregeln" in home.rendered and "Auftrag (1)" in home.button_texts
    screen = await tap(tg, ada, home, "Auftrag (1)")
    screen = await tap(tg, ada, screen, "Gewonnen (1)")
    assert "Regeln für Auftrag › Allgemein › Gewonnen" in screen.rendered
    assert "Verantwortliche Person benachrichtigen: „Gewonnen!“" in screen.rendered
    assert "wenn Betrag > 100" in screen.rendered
    card = await tap(tg, ada, screen, "1. Jubeln")
    assert "Position 1 von 1" in card.rendered and "⏸ Deaktivieren" in card.button_texts
    dialog = await say(tg, ada, "/rules add")
    assert "Neue Regel: für welchen Typ?" in dialog.rendered
    await tap(tg, ada, dialog, "Auftrag")
    await tap(tg, ada, dialog, "Neu")
    assert "Kundenkommunikation" in dialog.rendered
    assert "Telegram-Nachricht an den Kunden" in dialog.button_texts
    bad = await say(tg, ada, "/rules export now")
    assert bad.rendered.startswith("So geht es: /rules – Regeln ansehen und bearbeiten")
