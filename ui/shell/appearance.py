"""View > Appearance: follow the system's colour scheme, or always Light, or always Dark.

The choice is kept in QSettings ("appearance") and applied before the window is built (so
start-up pays for one small palette, not for re-styling widgets) and live when changed.

How a scheme is applied: Qt is asked for it first (QStyleHints.setColorScheme, which switches
the native palette on Windows, macOS and desktops with a Qt theme plugin). Where that leaves the
palette as it was (X11 without a plugin, the offscreen platform), the Fusion style gets a
complete palette from ui/widgets/theme.py. Either way disabled and placeholder text is made
readable. Widgets that colour something themselves re-style on the application's paletteChanged
signal (ui/widgets/theme.follow_palette); charts are redrawn in the matching matplotlib style.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from ui.widgets import theme

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

SETTING_KEY = "appearance"
CHOICES = (("system", "&System"), ("light", "&Light"), ("dark", "&Dark"))
DEFAULT = "system"
SYSTEM_CHECK_DELAY_MS = 250  # after the history rows are painted (see ui/shell/app.py)
# Where Qt switches its own palette and style on request. Elsewhere (X11, Wayland) asking costs
# Qt's enum namespace at start (~11 ms) and changes nothing: Fusion gets our palette at once.
NATIVE_SCHEME_PLATFORMS = ("windows", "cocoa")


class _State:
    choice: str | None = None  # what was applied last; None: nothing yet
    platform_style: str | None = None  # the style before Fusion was forced, to go back to
    palette_set = False  # an application palette of ours is in place
    forced_style = False
    applying = False
    listening = False


_state = _State()


def saved_choice(settings: QSettings) -> str:
    value = settings.value(SETTING_KEY, DEFAULT)
    return value if isinstance(value, str) and value in dict(CHOICES) else DEFAULT


def apply_saved(settings: QSettings, *, starting: bool = False) -> str:
    """Apply the remembered choice (nothing to do when it is already in place); return it.

    ``starting``: before the first window is shown. Asking Qt about colour schemes loads Qt's
    enum namespace (about 11 ms), so then the platform's palette is taken as it is when it
    already matches, and the system's scheme is checked right after the first paint.
    """
    choice = saved_choice(settings)
    if choice != _state.choice:
        apply(choice, starting=starting)
    return choice


def apply(choice: str, *, starting: bool = False) -> None:
    """Switch the whole application to ``choice`` ("system", "light" or "dark") now."""
    if choice not in dict(CHOICES):
        raise ValueError(f"unknown appearance {choice!r}")
    app = _application()
    if app is None:  # pragma: no cover - nothing to style without an application
        return
    _state.applying = True
    try:
        _apply(app, choice, starting)
    finally:
        _state.applying = False
    _state.choice = choice
    if starting:
        # Not a zero timer: app.py's processEvents() for the first paint would run it.
        QTimer.singleShot(SYSTEM_CHECK_DELAY_MS, _after_first_paint)
    else:
        _listen(app)
        _refresh_links(app)


def _after_first_paint() -> None:
    app = _application()
    if app is None:  # pragma: no cover
        return
    _listen(app)
    wants_dark = _system_wants_dark(app)
    if _state.choice == "system" and wants_dark not in (None, theme.is_dark(app.palette())):
        apply("system")  # e.g. a dark desktop whose Qt palette is still light


def _application() -> QApplication | None:
    """The running widgets application (a plain QCoreApplication has nothing to style)."""
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else None


def _refresh_links(app: QApplication) -> None:
    """Qt bakes the palette's link colour into rich text when it is set: set it again."""
    for widget in app.allWidgets():
        if isinstance(widget, QLabel) and "<a " in widget.text():
            text = widget.text()
            widget.setText("")  # the same text again would be ignored
            widget.setText(text)


def _system_wants_dark(app: QApplication) -> bool | None:
    from PySide6.QtCore import Qt  # its enums cost ~11 ms to load: not before the first paint

    scheme = app.styleHints().colorScheme()
    return None if scheme == Qt.ColorScheme.Unknown else scheme == Qt.ColorScheme.Dark


def _apply(app: QApplication, choice: str, starting: bool) -> None:
    base = _platform_palette(app)
    if choice == "system":
        want_dark = None if starting else _system_wants_dark(app)
        _ask_platform(app, "Unknown", starting)
        if not starting:
            base = _platform_palette(app)
    else:
        want_dark = choice == "dark"
        native = QGuiApplication.platformName() in NATIVE_SCHEME_PLATFORMS
        if not starting or (theme.is_dark(base) != want_dark and native):
            _ask_platform(app, choice.title(), starting=False)
            base = _platform_palette(app)
    if want_dark is not None and theme.is_dark(base) != want_dark:
        # The platform did not switch: Fusion draws with the palette it is given.
        if not _state.forced_style:
            _state.platform_style = app.style().name()
            _state.forced_style = True
            if _state.platform_style.lower() != "fusion":
                app.setStyle("Fusion")
        palette = theme.built_palette(want_dark)
    else:
        if _state.forced_style:
            _state.forced_style = False
            if _state.platform_style and _state.platform_style.lower() != "fusion":
                app.setStyle(_state.platform_style)
        palette = theme.readable_palette(base)
    app.setPalette(palette)
    _state.palette_set = True


def _ask_platform(app: QApplication, scheme: str, starting: bool) -> None:
    """Ask Qt for a colour scheme (Qt 6.8): Windows, macOS and some desktops switch natively."""
    if starting:
        return  # nothing was asked for yet, and the platform's own choice is "Unknown"
    from PySide6.QtCore import Qt

    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(getattr(Qt.ColorScheme, scheme))


def _platform_palette(app: QApplication) -> QPalette:
    """The palette the platform gives (after any colour-scheme request), without ours."""
    if _state.palette_set:
        app.setPalette(QPalette())  # an empty palette puts the platform's back
        _state.palette_set = False
    return copy.copy(QGuiApplication.palette())  # (QPalette(...) costs ~11 ms: Qt's enums)


def _listen(app: QApplication) -> None:
    """Follow the desktop when it switches between light and dark while we run."""
    if _state.listening:
        return
    _state.listening = True
    app.styleHints().colorSchemeChanged.connect(_system_scheme_changed)


def _system_scheme_changed(*_args: object) -> None:
    if not _state.applying and _state.choice == "system":
        apply("system")


# ----------------------------------------------------------------- the menu
class AppearanceMenu:
    """The View > Appearance radio actions of one window, and what happens when one is chosen."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.menu = window.view_menu.addMenu("&Appearance")
        self.menu.setToolTipsVisible(True)
        self.group = QActionGroup(window)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        tips = {
            "system": "Light or dark as your desktop is set",
            "light": "Always light",
            "dark": "Always dark",
        }
        for key, text in CHOICES:
            action = QAction(window)  # not (text, window): see main_window._action
            action.setText(text)
            action.setCheckable(True)  # (checkable=True costs ~1 ms of start-up: signature lookup)
            action.setToolTip(tips[key])
            action.setData(key)
            self.group.addAction(action)
            self.menu.addAction(action)
            self.actions[key] = action
        window.view_menu.addSeparator()
        self.actions[apply_saved(window.settings)].setChecked(True)
        self.group.triggered.connect(self._chosen)

    def choose(self, key: str) -> None:
        """As if the person picked ``key`` in the menu."""
        self.actions[key].trigger()

    def _chosen(self, action: QAction) -> None:
        key = action.data()
        self.window.settings.setValue(SETTING_KEY, key)
        if key != _state.choice:
            apply(key)


def install(window: MainWindow) -> AppearanceMenu:
    """Add View > Appearance to ``window`` and apply the remembered choice; the window keeps
    the menu as ``appearance``."""
    return AppearanceMenu(window)
