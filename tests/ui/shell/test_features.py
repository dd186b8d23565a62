"""The main window installs each feature itself (no registry of module names): after
finish_setup() every page, action and notice is there, once, and with deferred pages none of
them is built before it."""

from PySide6.QtGui import QAction

from ui.data.menu import DataMenu
from ui.patterns.page import PatternsPage
from ui.shell.appearance import AppearanceMenu
from ui.shell.example_diary import ExampleDiary
from ui.shell.main_window import MainWindow
from ui.tips.feature import TipsFeature

FILE_MENU = [
    "Health &profile (optional)…",
    "&Export…",
    "&Import…",
    "&Back up now…",
    "&Restore from backup…",
    "Print &summary for my doctor…",
    "",
    "&Quit",
]


def _texts(actions: list[QAction]) -> list[str]:
    return [action.text() for action in actions]


def _notices(window: MainWindow) -> list[object]:
    layout = window.notice_layout
    return [layout.itemAt(i).widget() for i in range(layout.count())]


def test_deferred_window_builds_its_features_in_finish_setup(qtbot, store, settings):
    window = MainWindow(store, settings, install_features=False, defer_pages=True)
    qtbot.addWidget(window)
    assert isinstance(window.appearance, AppearanceMenu)  # the menus are there at once
    assert window.tabs.count() == 0 and window.history is None
    features = (window.patterns_page, window.tips_feature, window.data_menu)
    assert features == (None, None, None)
    assert (window.report_action, window.example_diary) == (None, None)
    assert _texts(window.file_menu.actions()) == ["", "&Quit"]

    window.finish_setup()
    tabs = [window.tabs.widget(i) for i in range(window.tabs.count())]
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "H&istory",
        "&Patterns",
        "&Tips",
    ]
    assert isinstance(window.patterns_page, PatternsPage)
    assert isinstance(window.tips_feature, TipsFeature)
    assert tabs == [window.history, window.patterns_page, window.tips_feature.page]
    assert isinstance(window.data_menu, DataMenu)
    assert isinstance(window.example_diary, ExampleDiary)
    assert window.report_action is not None
    assert window.report_action.shortcut().toString() == "Ctrl+P"
    assert _texts(window.file_menu.actions()) == FILE_MENU
    assert window.tips_feature.notices_action in window.help_menu.actions()
    tips = window.tips_feature
    assert _notices(window) == [window.example_diary.notice, tips.banner, tips.suggestion]

    window.finish_setup()  # a second call adds nothing
    assert window.tabs.count() == 3 and _texts(window.file_menu.actions()) == FILE_MENU
    assert len(_notices(window)) == 3


def test_a_window_built_at_once_has_every_feature(qtbot, store, settings):
    window = MainWindow(store, settings)
    qtbot.addWidget(window)
    assert _texts(window.file_menu.actions()) == FILE_MENU
    assert window.tabs.count() == 3
    assert window.data_menu is not None
    assert window.data_menu.export_action.shortcut().toString() == "Ctrl+Shift+E"
    assert window.data_menu.import_action.shortcut().toString() == "Ctrl+Shift+I"
    page_keys = [action.shortcut().toString() for action in window.view_menu.actions()[2:]]
    assert page_keys == ["Ctrl+1", "Ctrl+2", "Ctrl+3"]


def test_a_window_without_features_has_only_the_history(qtbot, store, settings):
    """As the UI tests build it; features are installed by calling their install()."""
    import ui.shell.main_window as main_window

    window = MainWindow(store, settings, install_features=False)
    qtbot.addWidget(window)
    assert window.history is not None and window.tabs.count() == 1
    assert window.patterns_page is None and window.example_diary is None
    assert not hasattr(main_window, "FEATURES")
