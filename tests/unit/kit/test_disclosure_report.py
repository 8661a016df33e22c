"""The yearly report with disclosure control: the answers by way of answering are all shown
or none, and no evaluation count from 1 to 4 can be read or worked out."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from app.consultations.models import EVALUATION_QUESTIONS, Channel, EvaluationAnswer
from app.kit.report import Report, report_pdf, summary

pytestmark = pytest.mark.usefixtures("ctx")


def _report(channels: dict[Channel, int], evaluations: dict[EvaluationAnswer, int]) -> Report:
    start = datetime(2025, 12, 31, 23, tzinfo=UTC)
    report = Report(1, "CRPA Test", 2026, start, start.replace(year=2026), start)
    report.rounds_held = 1
    report.answers_by_channel = channels
    report.people_with_account = sum(channels.values())
    report.evaluations = sum(evaluations.values())
    report.evaluation_answers = {name: dict(evaluations) for name in EVALUATION_QUESTIONS}
    return report


def _pdf_text(report: Report) -> str:
    pages = PdfReader(io.BytesIO(report_pdf(report))).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_one_helped_answer_drops_the_breakdown_by_way_of_answering():
    report = _report({Channel.SELF: 7, Channel.ASSISTED: 1, Channel.PAPER: 0}, {})
    assert report.published_channels == {}
    assert not any("with help" in line or "avec de l" in line for line in summary(report))
    text = _pdf_text(report)
    assert Channel.ASSISTED.label not in text and Channel.SELF.label not in text
    assert report.breakdown_note in text


def test_every_way_large_enough_shows_the_breakdown():
    report = _report({Channel.SELF: 7, Channel.ASSISTED: 5, Channel.PAPER: 0}, {})
    assert report.published_channels == {Channel.SELF: 7, Channel.ASSISTED: 5, Channel.PAPER: 0}
    assert any("5" in line for line in summary(report)[2:3])


def test_one_evaluation_answer_is_never_the_only_hidden_count_of_its_question():
    counts = {
        EvaluationAnswer.YES: 5,
        EvaluationAnswer.A_LITTLE: 0,
        EvaluationAnswer.NO: 1,
        EvaluationAnswer.DECLINED: 6,
    }
    report = _report({Channel.SELF: 12}, counts)
    for row in report.published_evaluations.values():
        hidden = {answer for answer, count in row.items() if count.hidden}
        # 12 people answered: "No" alone hidden would be 12 - 5 - 0 - 6.
        assert hidden == {EvaluationAnswer.NO, EvaluationAnswer.A_LITTLE}
    assert "No: 1" not in _pdf_text(report).replace("Non : 1", "No: 1")
