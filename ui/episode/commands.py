"""Undoable changes to the diary: log, edit and delete, as QUndoCommands over the store.

The change itself is made before the command is pushed, so a failure reaches the person as a
message and nothing lands on the undo stack. Undo and redo then replay it through the store;
Qt swallows exceptions raised inside redo()/undo(), so failures there are reported through
``report_error`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand

from tracker.diary.episode import Episode
from tracker.store import EpisodeNotFoundError, Store, StoreError


@dataclass
class CommandContext:
    store_of: Callable[[], Store]
    changed: Callable[[], None]
    report_error: Callable[[str], None]


class StoreCommand(QUndoCommand):
    """A change made through the store before it is pushed; redo and undo replay it and report
    a failure of the kinds in ``REPORTED`` (Qt swallows exceptions raised in redo()/undo())."""

    REPORTED: tuple[type[Exception], ...] = (StoreError,)

    def __init__(self, context: CommandContext, text: str):
        super().__init__(text)
        self._context = context
        self._first_redo = True

    def _replay(self, action: Callable[[Store], None]) -> None:
        try:
            action(self._context.store_of())
        except self.REPORTED as exc:
            self._context.report_error(str(exc))
            self.setObsolete(True)
        self._context.changed()

    def redo(self) -> None:
        if self._first_redo:  # already done by the caller before pushing
            self._first_redo = False
            return
        self._replay(self.do)

    def undo(self) -> None:
        self._replay(self.undo_in)

    def do(self, store: Store) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def undo_in(self, store: Store) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class AddEpisodeCommand(StoreCommand):
    def __init__(self, context: CommandContext, saved: Episode):
        super().__init__(context, "Log cramp")
        self.episode = saved

    def do(self, store: Store) -> None:
        store.restore_episode(self.episode)

    def undo_in(self, store: Store) -> None:
        store.delete_episode(_saved_id(self.episode))


class EditEpisodeCommand(StoreCommand):
    def __init__(self, context: CommandContext, before: Episode, after: Episode):
        super().__init__(context, "Edit episode")
        self._before = before
        self._after = after

    def do(self, store: Store) -> None:
        store.update_episode(self._after)

    def undo_in(self, store: Store) -> None:
        store.update_episode(self._before)


class DeleteEpisodesCommand(StoreCommand):
    def __init__(self, context: CommandContext, deleted: list[Episode]):
        count = len(deleted)
        super().__init__(context, f"Delete {count} episode{'s' if count != 1 else ''}")
        self._deleted = list(deleted)

    def do(self, store: Store) -> None:
        for episode in self._deleted:
            store.delete_episode(_saved_id(episode))

    def undo_in(self, store: Store) -> None:
        for episode in self._deleted:
            store.restore_episode(episode)


def _saved_id(episode: Episode) -> int:
    """The id of an episode the store returned (commands hold only saved episodes)."""
    if episode.id is None:
        raise EpisodeNotFoundError("Episode None does not exist.")  # as the store says it
    return episode.id
