"""Firing triggers: on a client's message, an activity marked done, a field's change, a new
responsible person, an incoming webhook call, and a client's press of a button a rule sent
them. A trigger's condition is checked against the item when its event happens: when it is
false the trigger does nothing (another trigger of the event may still act).

Event handlers run inside the transaction that raised the event (crm.events), so the move
and the planning of the new stage's rules commit together with what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, tzinfo

from crm.access import require_settings_right
from crm.clock import Clock
from crm.errors import AppError, Entity, NotFound
from crm.events import ActivityDone, ClientWrote, FieldChanged, ResponsibleChanged
from crm.models import Item, Staff, TimelineEntry, TimelineKind
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.conditions import evaluate
from rules.context import load_subject
from rules.storage.unit import repos
from rules.triggers.model import ClientButton, Trigger, TriggerEvent
from rules.triggers.moves import Outcome, move_by_trigger
from rules.triggers.signing import TriggerSigner


class CallRefused(AppError):
    """A webhook call we do not act on, for whatever reason (params: trigger_id, item_id,
    why — for the log only): a URL not signed by us for this trigger and item, a trigger or
    item that does not exist (any more), an item now in another pipeline. One error for all,
    so that a caller learns nothing about which triggers and items exist."""

    code = "trigger_call_refused"


@dataclass(frozen=True, slots=True)
class Fired:
    outcome: Outcome
    item_id: int
    stage_id: int | None = None

    @property
    def moved(self) -> bool:
        return self.outcome is Outcome.MOVED


@dataclass(frozen=True, slots=True)
class Pressed:
    label: str
    fired: Fired | None  # None: the offer no longer stands, nothing changed


class TriggerService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, signer: TriggerSigner,
                 tz: tzinfo = UTC) -> None:
        self._uow = uow
        self._clock = clock
        self.signer = signer
        self._tz = tz  # conditions on dates compare in the team's zone

    async def fire_in(self, uow: UnitOfWork, item_id: int, event: TriggerEvent,
                      matches: Callable[[Trigger], bool] | None = None) -> Fired:
        """Moves the item to the stage of the pipeline's trigger for `event` (that
        `matches` the event's details, whose condition holds); with several, the one
        furthest along the pipeline (an earlier stage only if its trigger may)."""
        item = await uow.items.get(item_id, with_products=False)
        if item is None:
            return Fired(Outcome.NO_TRIGGER, item_id)
        current = await uow.catalog.get_stage(item.stage_id)
        stages = {s.id: s for s in await uow.catalog.list_stages(item.pipeline_id)}
        eligible = [t for t in await repos(uow).triggers.for_pipeline(item.pipeline_id, event)
                    if t.stage_id != item.stage_id and current is not None
                    and (t.backwards or stages[t.stage_id].position > current.position)
                    and (matches is None or matches(t))]
        if any(t.condition for t in eligible):
            eligible = [t for t in eligible if await self.condition_holds(uow, t, item_id)]
        if not eligible:
            return Fired(Outcome.NO_TRIGGER, item_id)
        trigger = max(eligible, key=lambda t: stages[t.stage_id].position)
        outcome = await move_by_trigger(uow, self._clock.now(), item, trigger.stage_id,
                                        trigger.backwards, f"trigger:{trigger.id}")
        return Fired(outcome, item_id, trigger.stage_id)

    async def on_client_wrote(self, event: ClientWrote, uow: UnitOfWork) -> None:
        """A message that opened the item is the inquiry itself, not an answer: no trigger."""
        if not event.opened:
            await self.fire_in(uow, event.item_id, TriggerEvent.CLIENT_MESSAGE)

    async def on_activity_done(self, event: ActivityDone, uow: UnitOfWork) -> None:
        await self.fire_in(uow, event.item_id, TriggerEvent.ACTIVITY_DONE)

    async def on_field_changed(self, event: FieldChanged, uow: UnitOfWork) -> None:
        await self.fire_in(uow, event.item_id, TriggerEvent.FIELD_CHANGED,
                           lambda t: t.matches_change(event.field, event.new))

    async def on_responsible_changed(self, event: ResponsibleChanged, uow: UnitOfWork) -> None:
        await self.fire_in(uow, event.item_id, TriggerEvent.RESPONSIBLE_CHANGED)

    async def condition_holds(self, uow: UnitOfWork, trigger: Trigger, item_id: int) -> bool:
        """The trigger's condition against the item as it is now (in this transaction)."""
        if not trigger.condition:
            return True
        item = await uow.items.get(item_id)
        if item is None:
            return False
        subject = await load_subject(uow, item)
        return evaluate(trigger.condition, subject, self._tz).passed

    async def call_webhook(self, trigger_id: int, item_id: int, signature: str) -> Fired:
        """An incoming call of the trigger's URL for the item; raises CallRefused."""
        if not self.signer.verify(trigger_id, item_id, signature):
            raise CallRefused(trigger_id=trigger_id, item_id=item_id, why="signature")
        async with self._uow() as uow:
            trigger = await repos(uow).triggers.get(trigger_id)
            if trigger is None or trigger.event is not TriggerEvent.WEBHOOK:
                raise CallRefused(trigger_id=trigger_id, item_id=item_id, why="no trigger")
            item = await uow.items.get(item_id, with_products=False)
            if item is None:
                raise CallRefused(trigger_id=trigger_id, item_id=item_id, why="no item")
            if not await self.condition_holds(uow, trigger, item_id):
                return Fired(Outcome.CONDITION_FALSE, item_id, trigger.stage_id)
            outcome = await move_by_trigger(uow, self._clock.now(), item, trigger.stage_id,
                                            trigger.backwards, f"trigger:{trigger.id}")
            if outcome is Outcome.OTHER_PIPELINE:
                raise CallRefused(trigger_id=trigger_id, item_id=item_id, why="other pipeline")
            await uow.commit()
        return Fired(outcome, item_id, trigger.stage_id)

    async def webhook_url_path(self, actor: Staff, trigger_id: int, item_id: int) -> str:
        """The signed path of the trigger's URL for one item (settings right; the trigger a
        webhook trigger of the item's pipeline); raises NotFound."""
        require_settings_right(actor)
        async with self._uow(write=False) as uow:
            trigger = await repos(uow).triggers.get(trigger_id)
            if trigger is None or trigger.event is not TriggerEvent.WEBHOOK:
                raise NotFound(what=Entity.TRIGGER, ref=trigger_id)
            item = await _item(uow, item_id)
            stage = await uow.catalog.get_stage(trigger.stage_id)
            if stage is None or stage.pipeline_id != item.pipeline_id:
                raise NotFound(what=Entity.TRIGGER, ref=trigger_id)
        return self.signer.path(trigger_id, item_id)

    async def press(self, chat_id: int, token: int) -> Pressed | None:
        """A client pressed a button a rule sent: None when the button is unknown or was
        sent to another chat; `fired` None when its offer no longer stands (the item left
        the stage the message was sent from, is closed, or the message was answered).
        Neither changes anything. A press that counts goes on the item's timeline."""
        async with self._uow() as uow:
            buttons = repos(uow).client_buttons
            button = await buttons.get(token)
            if button is None or button.chat_id != chat_id:
                return None
            item = await _item(uow, button.item_id)
            now = self._clock.now()
            if not await _offer_stands(uow, button, item) or \
                    not await buttons.take_offer(button, now):
                return Pressed(button.label, None)
            await uow.timeline.add(TimelineEntry(
                item.id, now, TimelineKind.CLIENT_BUTTON, button.label))
            outcome = await move_by_trigger(uow, self._clock.now(), item, button.stage_id,
                                            button.backwards, f"button:{token}")
            await uow.commit()
        return Pressed(button.label, Fired(outcome, item.id, button.stage_id))


async def _offer_stands(uow: UnitOfWork, button: ClientButton, item: Item) -> bool:
    stage = await uow.catalog.get_stage(item.stage_id)
    if stage is None or stage.is_final:
        return False
    if button.entry_id is None:  # sent before offers were bound to their stage entry
        return True
    entry = await repos(uow).runs.latest_entry(item.id)
    return entry is not None and entry.id == button.entry_id


async def _item(uow: UnitOfWork, item_id: int) -> Item:
    item = await uow.items.get(item_id, with_products=False)
    if item is None:
        raise NotFound(what=Entity.ITEM, ref=item_id)
    return item
