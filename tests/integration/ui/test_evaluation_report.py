"""The Evaluation page under AppTest: one rounded number everywhere, names as people write
them, feedback titles said once, and each answer counted once among the modes."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from pyarrow import ipc  # type: ignore[import-untyped]
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.core.evaluation.presentation import TITLES
from tests.integration.ui.test_evaluation_and_history import finished_session, open_page
from tests.unit.core.report_fixtures import awkward_report


def chart_rows(at: AppTest) -> list[dict[str, Any]]:
    """The rows the competency chart draws, and the field its numbers beside the bars show."""
    [chart] = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    [dataset] = chart.proto.datasets
    assert spec["data"]["name"] == dataset.name
    bars, numbers = spec["layer"]
    assert bars["encoding"]["x"]["field"] == numbers["encoding"]["text"]["field"] == "score"
    assert bars["encoding"]["y"]["axis"]["labelLimit"] >= 240, "long titles are not cut short"
    rows: list[dict[str, Any]] = ipc.open_stream(dataset.data.data).read_all().to_pylist()
    return rows


def test_the_score_is_the_same_number_in_the_text_and_in_the_chart(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = finished_session(app_services, evaluate=False)
    app_services.data_store.save_evaluation(replace(awkward_report(), session_id=session_id))
    app_test.session_state["session_id"] = session_id

    open_page(app_test, "evaluation")

    assert not app_test.exception and not app_test.error
    overall = next(m for m in app_test.metric if m.label == "Overall score")
    assert overall.value == "93/100"
    drawn = {row["competency"]: row["score"] for row in chart_rows(app_test)}
    assert drawn["Data model and APIs"] == 93
    assert drawn["Trade-off reasoning"] == 31
    assert set(drawn) == set(TITLES.values())
    assert "Data model and APIs: 93/100" in [e.label for e in app_test.expander]
    assert not [m.value for m in app_test.markdown if "92" in m.value]


def test_feedback_names_are_written_once_and_as_people_write_them(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = finished_session(app_services, evaluate=False, snapshot=True)
    app_services.data_store.save_evaluation(replace(awkward_report(), session_id=session_id))
    app_test.session_state["session_id"] = session_id

    open_page(app_test, "evaluation")

    shown = [m.value for m in app_test.markdown]
    assert "**Requirements gathering**: 100/100. You asked about scale first." in shown
    assert "**Practise CAP trade-off**: Say which side of CAP you pick and why." in shown
    assert "**SLO targets**: name the latency you promise." in shown
    assert "**Focus on:** Data model and APIs, Trade-off reasoning" in shown
    modes = {m.label: m.value for m in app_test.metric if m.label != "Overall score"}
    assert modes == {"Text": "1", "Whiteboard": "1"}, "counted from the session, not the report"


def test_a_builtin_report_never_repeats_a_title(app_test: AppTest, app_services: Services) -> None:
    app_test.session_state["session_id"] = finished_session(app_services)

    open_page(app_test, "evaluation")

    assert not app_test.exception
    items = [m.value for m in app_test.markdown if m.value.startswith("**")]
    assert len(items) >= len(TITLES)
    for item in items:
        name, _, said = item.removeprefix("**").partition("**: ")
        assert not said.lower().startswith(name.lower()), item
    assert all(name.lower() != name for name in (e.label for e in app_test.expander))
    assert any(e.label.startswith("Data model and APIs: ") for e in app_test.expander)


def test_history_shows_the_same_rounded_numbers(app_test: AppTest, app_services: Services) -> None:
    session_id = finished_session(app_services, evaluate=False)
    app_services.data_store.save_evaluation(replace(awkward_report(), session_id=session_id))
    open_page(app_test, "history")

    assert "93" in [m.value for m in app_test.markdown]
    app_test.button(key=f"open_{session_id}").click().run()

    overall = next(m for m in app_test.metric if m.label == "Overall score")
    assert overall.value == "93/100"
    assert any("- Data model and APIs: 93/100" in m.value for m in app_test.markdown)
    assert not [m.value for m in app_test.markdown if "92" in m.value]
