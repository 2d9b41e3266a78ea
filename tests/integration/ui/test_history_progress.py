"""History's progress chart under AppTest: one point per evaluated interview, in order, each
labeled with its date; the overall score and the competencies, or one competency at a time."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pyarrow import ipc  # type: ignore[import-untyped]
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.core.evaluation.manager import ProgressPoint
from interview_platform.ui.views.history import _interview_labels
from tests.integration.ui.test_evaluation_and_history import finished_session, open_page

EVALUATED = (  # three interviews over two months, two of them on the same day
    datetime(2026, 10, 3, 9, 30, tzinfo=UTC),
    datetime(2026, 11, 20, 14, 5, tzinfo=UTC),
    datetime(2026, 11, 20, 18, 40, tzinfo=UTC),
)


def evaluated_on(app: Services, when: datetime) -> str:
    session_id = finished_session(app)
    report = app.evaluation_manager.get_evaluation(session_id)
    assert report is not None
    app.data_store.save_evaluation(replace(report, created_at=when))
    return session_id


def progress_chart(at: AppTest) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The progress chart's x encoding and the rows it draws."""
    [chart] = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    [dataset] = chart.proto.datasets
    rows: list[dict[str, Any]] = ipc.open_stream(dataset.data.data).read_all().to_pylist()
    return spec["encoding"]["x"], rows


def test_the_progress_chart_has_one_point_per_interview_labeled_with_its_date(
    app_test: AppTest, app_services: Services
) -> None:
    for when in reversed(EVALUATED):  # made in another order than they were evaluated
        evaluated_on(app_services, when)

    open_page(app_test, "history")

    assert not app_test.exception
    x, rows = progress_chart(app_test)
    assert x["type"] == "ordinal" and x["field"] == "interview"
    assert x["title"] == "Interview (date)"
    overall = [row for row in rows if row["series"] == "Overall"]
    assert [row["interview"] for row in overall] == ["03 Oct", "20 Nov 14:05", "20 Nov 18:40"]
    assert overall[0]["evaluated"] == "03 Oct 2026 09:30"
    competencies = {row["series"] for row in rows} - {"Overall"}
    assert len(competencies) >= 4
    assert len(rows) == len(EVALUATED) * (1 + len(competencies))


def test_one_competency_can_be_followed_beside_the_overall_score(
    app_test: AppTest, app_services: Services
) -> None:
    for when in EVALUATED[:2]:
        evaluated_on(app_services, when)
    open_page(app_test, "history")
    _, rows = progress_chart(app_test)
    chosen = sorted({row["series"] for row in rows} - {"Overall"})[0]

    app_test.selectbox(key="history_competency").set_value(chosen).run()

    _, rows = progress_chart(app_test)
    assert {row["series"] for row in rows} == {"Overall", chosen}
    assert len(rows) == 4


def test_labels_add_the_year_across_years_and_stay_distinct() -> None:
    def point(when: datetime) -> ProgressPoint:
        return ProgressPoint("s", when, 50.0, {})

    same_minute = datetime(2027, 1, 2, 10, 0, tzinfo=UTC)
    points = [point(EVALUATED[0]), point(same_minute), point(same_minute)]

    assert _interview_labels(points) == [
        "03 Oct 2026",
        "02 Jan 2027 10:00",
        "02 Jan 2027 10:00 (2)",
    ]
