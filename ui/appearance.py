"""Fonts, translators and the theme, installed once at start."""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app import glyphs

log = logging.getLogger(__name__)
FONT_FAMILY = "WenQuanYi Micro Hei"
_translators: list[QTranslator] = []  # Qt does not own them: keep references

# No global font-size rule: a style-sheet font size would override every widget's setFont()
# (the kiosk's and display's big text). The application font sets the size instead.
STYLE = """
QPushButton { padding: 5px 14px; }
QTabBar::tab { padding: 7px 18px; }
QHeaderView::section { background: #E8EEF5; padding: 4px; border: 0; border-right: 1px solid #C9D6E3; }
QLineEdit { padding: 4px; }
#header { background: #1F4E79; }
#header QLabel { color: white; }
#header QPushButton { background: #2E6DA4; color: white; border: 1px solid #5B8EC1; border-radius: 3px; }
"""


def install_font(app: QApplication) -> str:
    """Register the bundled CJK font and make it the application font.

    Without it the offscreen platform (and a PC without Chinese fonts) draws boxes.
    """
    path = resources.files("resources") / "fonts" / "wqy-microhei.ttc"
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.error("bundled font %s could not be loaded", path)
        return ""
    family = FONT_FAMILY if FONT_FAMILY in families else families[0]
    font = QFont(family)
    # 生僻字 (CJK extensions A–G) are not in the main font: fall back per character.
    fallbacks = []
    for _name, file, _subfont in glyphs.FONT_FILES[1:]:  # the same order as the printouts
        fid = QFontDatabase.addApplicationFont(str(glyphs.font_path(file)))
        fallbacks += QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    font.setFamilies([family, *fallbacks])
    font.setPointSize(10)
    app.setFont(font)
    return family


def install_translators(app: QApplication) -> None:
    """Qt's own Chinese strings (确定/取消 …), then ours if a .qm for the locale exists."""
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    base = QTranslator(app)
    if base.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", qt_dir):
        app.installTranslator(base)
        _translators.append(base)
    ours = QTranslator(app)
    folder = resources.files("resources") / "translations"
    if ours.load(QLocale.system(), "onewindow", "_", str(folder)):
        app.installTranslator(ours)
        _translators.append(ours)


def setup(app: QApplication) -> str:
    """Everything visual that is installed once; returns the font family in use."""
    app.setApplicationName("OneWindow")
    app.setApplicationDisplayName("一窗通办")
    app.setOrganizationName("OneWindow")
    family = install_font(app)
    install_translators(app)
    app.setStyleSheet(STYLE)
    return family
