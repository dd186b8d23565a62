"""History after a save: changed episodes are placed row by row, not every id read again.

Random sequences of add, edit, delete and undo under every sort and several filters must leave
the model's ids equal to a fresh ``history_ids``; single changes must not reset the model."""

import random
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from tests.ui.history_helpers import varied_episodes
from tracker.store import HistoryFilter
from ui.history.model import COLUMNS, HistoryModel
from ui.history.page import HistoryPage

FILTERS = {
    "none": HistoryFilter(),
    "search": HistoryFilter(text="walk"),
    "severity": HistoryFilter(severity_band="severe"),
    "site": HistoryFilter(site_area="toes"),
    "activity": HistoryFilter(activity="walking"),
    "dates": None,  # the last few days: set from the episodes' own dates
}


class Counted(HistoryModel):
    """A model that counts its full reloads."""

    reloads = 0

    def reload(self) -> None:
        self.reloads += 1
        super().reload()


def _changed(rng, episode, pool):
    """The episode with a few of its fields taken from another one (its time, maybe)."""
    other = rng.choice(pool)
    fields = rng.sample(
        ["started_at", "notes", "severity", "site", "activity", "duration_s", "relief", "side"],
        k=rng.randint(1, 3),
    )
    return episode.replace(**{f: getattr(other, f) for f in fields})


def _view(model, episode_id):
    """What the table does when the person selects a row: read it."""
    row = model.row_of(episode_id)
    if row is not None:
        model.data(model.index(row, 0))


def _run(store, model, rng, steps):
    pool = varied_episodes(30)
    undo: list[tuple[str, object]] = []
    for _ in range(steps):
        ids = store.history_ids()
        action = rng.choice(["add", "add", "edit", "edit", "delete", "undo"])
        if action == "add" or not ids:
            base = rng.choice(pool)
            if rng.random() < 0.3 and ids:  # the same instant as another: ties by id
                base = base.replace(started_at=store.get_episode(rng.choice(ids)).started_at)
            undo.append(("added", store.add_episode(base)))
        elif action == "edit":
            before = store.get_episode(rng.choice(ids))
            store.update_episode(_changed(rng, before, pool))
            undo.append(("edited", before))
        elif action == "delete":
            episode_id = rng.choice(ids)
            _view(model, episode_id)
            undo.append(("deleted", store.delete_episode(episode_id)))
        elif undo:
            kind, episode = undo.pop()
            if kind == "added":
                store.delete_episode(episode.id)
            elif kind == "deleted":
                store.restore_episode(episode)
            else:
                store.update_episode(episode)
        model.refresh()
        expected = store.history_ids(
            model.current_filter,
            sort_key=COLUMNS[model._sort_column][1],
            descending=model._sort_order == Qt.SortOrder.DescendingOrder,
        )
        assert list(model._ids) == expected, action


@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize("column", range(len(COLUMNS)), ids=[key for _, key in COLUMNS])
def test_random_changes_match_a_fresh_read(qapp, store, column, name):
    rng = random.Random(f"{column} {name}")
    for episode in varied_episodes(20):
        store.add_episode(episode)
    model = Counted(store)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    flt = FILTERS[name]
    if flt is None:
        newest = store.get_episode(store.history_ids()[0]).started_at
        flt = HistoryFilter(date_from=(newest - timedelta(days=2)).date().isoformat())
    model.set_filter(flt)
    order = rng.choice([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
    model.sort(column, order)
    model.reloads = 0
    _run(store, model, rng, steps=40)
    # every single change is placed row by row: the journal names its episode
    assert model.reloads == 0, model.reloads


def _page(qtbot, store, count=30):
    for episode in varied_episodes(count):
        store.add_episode(episode)
    page = HistoryPage(store)
    qtbot.addWidget(page)
    page.resize(900, 400)
    page.show()
    model = Counted(store)
    page.model = model
    page.table.setModel(model)
    model.reload()
    model.reloads = 0
    return page, model


def test_a_save_places_the_row_without_a_reset(qtbot, store):
    page, model = _page(qtbot, store)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    for _ in range(2):  # twice: the second save finds the first one's row
        newest = store.get_episode(model.episode_id(0))
        added = store.add_episode(
            newest.replace(id=None, uid=None, started_at=newest.started_at + timedelta(minutes=20))
        )
        page.reload()
        assert model.episode_id(0) == added.id
        assert page.count_label.text() == f"{model.rowCount()} episodes shown"
    assert resets == [] and model.reloads == 0
    assert list(model._ids) == store.history_ids()


def test_an_edit_that_keeps_its_place_changes_only_its_row(qtbot, store):
    page, model = _page(qtbot, store)
    episode = store.get_episode(model.episode_id(3))
    page.table.selectRow(3)
    changed, moved = [], []
    model.dataChanged.connect(lambda first, last: changed.append((first.row(), last.row())))
    model.rowsRemoved.connect(lambda *args: moved.append(args))
    store.update_episode(episode.replace(notes="edited in place"))
    page.reload()
    assert changed == [(3, 3)] and moved == [] and model.reloads == 0
    assert model.data(model.index(3, len(COLUMNS) - 1)) == "edited in place"
    assert page.selected_ids() == [episode.id]
    store.delete_episode(episode.id)  # then deleted (Delete, or Undo of an add): row removed
    page.reload()
    assert model.reloads == 0 and model.row_of(episode.id) is None
    assert list(model._ids) == store.history_ids()


def test_selection_and_scroll_stay_on_their_episodes(qtbot, store):
    page, model = _page(qtbot, store, count=80)
    page.table.selectRow(40)
    chosen = model.episode_id(40)
    page.table.scrollTo(model.index(40, 0))
    top = page.table.verticalScrollBar().value()
    oldest = store.get_episode(model.episode_id(model.rowCount() - 1))
    store.add_episode(
        oldest.replace(id=None, uid=None, started_at=oldest.started_at - timedelta(days=1))
    )
    page.reload()  # a row added below the selection: nothing on screen moves
    assert page.selected_ids() == [chosen]
    assert page.table.verticalScrollBar().value() == top
    _view(model, model.episode_id(41))  # a row on screen: the view has read it
    store.delete_episode(model.episode_id(41))  # deleting a row below keeps the selection
    page.reload()
    assert page.selected_ids() == [chosen] and model.reloads == 0


def test_unknown_changes_read_everything_again(qtbot, store):
    page, model = _page(qtbot, store)
    store.add_episodes(varied_episodes(3))  # a bulk add does not say what it added
    page.reload()
    assert model.reloads == 1
    assert list(model._ids) == store.history_ids()


def test_deleting_a_row_never_read_is_placed_too(qapp, store):
    for episode in varied_episodes(10):
        store.add_episode(episode)
    model = Counted(store)
    model.reload()
    model.reloads = 0
    store.delete_episode(model.episode_id(5))  # no view has read its row: the id says which
    model.refresh()
    assert model.reloads == 0
    assert list(model._ids) == store.history_ids()
