"""``onewindow --rating WINDOW`` starts the rating screen of that window; it is one mode."""

from __future__ import annotations

import pytest

from app.__main__ import _parser


def test_rating_takes_a_window_number() -> None:
    args = _parser().parse_args(["--rating", "3"])
    assert args.rating == 3 and not args.kiosk and not args.display


def test_rating_is_not_combined_with_another_screen(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as end:
        _parser().parse_args(["--rating", "3", "--kiosk"])
    assert end.value.code == 2 and "不能与" in capsys.readouterr().err
