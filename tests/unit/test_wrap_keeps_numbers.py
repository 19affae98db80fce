"""Printed paragraphs break CJK anywhere but never inside a number or code (a phone number
split over two lines is misread), unless the number is wider than a line."""

from __future__ import annotations

from printing.drawing import width, wrap


def test_a_phone_or_id_number_moves_whole_to_the_next_line() -> None:
    text = "申请人：张三，身份证号 110105********0118，电话 138****8000，住幸福路。"
    for limit in range(110, 400, 7):  # each number fits a line from about 100 points
        lines = wrap(text, limit, 10)
        assert "".join(lines) == text
        joined = "\n".join(lines)
        for number in ("110105********0118", "138****8000"):
            assert number in joined, (limit, lines)
        # a closing mark hangs past the edge rather than start a line (，。)
        assert all(width(line.rstrip("，。"), 10) <= limit for line in lines), lines


def test_a_run_longer_than_a_line_is_broken_at_the_edge() -> None:
    lines = wrap("x" * 300, 100, 10)
    assert "".join(lines) == "x" * 300
    assert all(width(line, 10) <= 100 for line in lines)
    assert wrap("这是一段中文。", 30, 10) == ["这是一", "段中文。"]  # 。 never starts a line
