"""The Interview page under AppTest: chat, whiteboard snapshot, transcript, pause, end,
the whiteboard restored from the last snapshot, labeled boxes and the controls.

AppTest runs the whole script on every interaction (no fragment-only reruns), so dialogs are
kept open through session state, and the canvas (a custom component AppTest cannot draw on) is
given a drawing by setting its widget state, as the browser would send it.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import re
from html import escape
from typing import Any

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.core.models import Message, Role, SessionStatus
from interview_platform.errors import StorageUnavailableError
from tests.integration.ui.conftest import finish_queued_work
from tests.integration.ui.test_navigation import reload

ANSWER = "I would put a load balancer in front of stateless web servers."
BOX = {"width": 150, "height": 60}
DRAWING = [
    {"type": "Rect", "left": 20, "top": 20, **BOX},
    {"type": "IText", "left": 30, "top": 40, "width": 120, "height": 20, "text": "API"},
    {"type": "Rect", "left": 300, "top": 20, **BOX},
    {"type": "IText", "left": 310, "top": 40, "width": 120, "height": 20, "text": "Redis"},
    {"type": "Line", "left": 170, "top": 50, "width": 130, "height": 0,
     "x1": -65, "y1": 0, "x2": 65, "y2": 0},
]  # fmt: skip


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()


def start_interview(at: AppTest) -> str:
    at.run()
    click(at, "Start Interview")
    at.run()
    assert not at.exception
    session_id = at.session_state["session_id"]
    assert isinstance(session_id, str)
    return session_id


def board_state(objects: list[dict[str, Any]]) -> dict[str, Any]:
    png = io.BytesIO()
    Image.new("RGBA", (560, 420), "white").save(png, "PNG")
    url = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    return {"drawing": {"raw": {"objects": objects}, "data": url}, "backgroundFit": None}


def test_without_a_session_the_page_points_to_setup(app_test: AppTest) -> None:
    start_interview(app_test)
    app_test.session_state["session_id"] = "00000000-0000-4000-8000-000000000000"  # deleted
    app_test.run()

    assert any("No interview is open" in i.value for i in app_test.info)
    click(app_test, "Go to Setup")
    assert app_test.title[0].value == "Setup Your Mock Interview"


def test_an_ended_session_offers_its_evaluation(app_test: AppTest, app_services: Services) -> None:
    session_id = start_interview(app_test)
    app_services.session_manager.end_session(session_id)  # e.g. in another tab
    app_test.run()

    assert any("has ended" in s.value for s in app_test.success)
    assert not app_test.chat_input
    click(app_test, "Evaluate it now")
    finish_queued_work(app_test, app_services)

    assert app_services.evaluation_manager.get_evaluation(session_id) is not None
    assert app_test.title[0].value == "Evaluation"


def test_the_page_shows_three_panels_and_the_opening_question(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = start_interview(app_test)

    assert [h.value for h in app_test.subheader] == ["AI Interviewer", "Whiteboard", "Transcript"]
    [opening] = app_services.session_manager.get_conversation(session_id)
    shown = [m.value for m in app_test.markdown]
    assert opening.content in shown
    opening_turn = f"<b>Interviewer</b>: {escape(opening.content[:40], quote=False)}"
    assert any(opening_turn in turn for turn in transcript_turns(app_test))
    assert any(":green-badge[:material/chat: Text]" in line for line in shown)


def test_an_answer_is_saved_and_the_interviewer_replies_in_chat_and_transcript(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = start_interview(app_test)

    app_test.chat_input[0].set_value(ANSWER).run()

    assert not app_test.exception and not app_test.error
    conversation = app_services.session_manager.get_conversation(session_id)
    assert [m.role for m in conversation] == [Role.INTERVIEWER, Role.CANDIDATE, Role.INTERVIEWER]
    assert conversation[1].content == ANSWER
    shown = [m.value for m in app_test.markdown]
    assert conversation[2].content in shown
    assert any(f"<b>Candidate</b>: {ANSWER}</summary>" in t for t in transcript_turns(app_test))

    app_test.text_input(key="transcript_search").set_value("load balancer").run()

    turns = [turn for turn in transcript_turns(app_test) if "<b>Candidate</b>" in turn]
    assert len(turns) >= 1 and all("load balancer" in turn.lower() for turn in turns)


def test_an_empty_answer_shows_what_to_do(app_test: AppTest, app_services: Services) -> None:
    session_id = start_interview(app_test)

    app_test.chat_input[0].set_value("   ").run()

    assert any("type an answer" in e.value for e in app_test.error)
    assert len(app_services.session_manager.get_conversation(session_id)) == 1


def test_a_saved_snapshot_is_analysed_and_the_interviewer_reacts(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = start_interview(app_test)
    app_test.session_state[f"wb_canvas_{session_id}_0"] = board_state(DRAWING)
    app_test.run()

    click(app_test, "Save Snapshot")
    finish_queued_work(app_test, app_services)

    assert not app_test.exception and not app_test.error
    answer, reply = app_services.session_manager.get_conversation(session_id)[1:]
    assert answer.metadata["source"] == "whiteboard" and "API" in answer.content
    assert reply.role is Role.INTERVIEWER
    assert any("Snapshot saved" in m.value for m in app_test.markdown)
    media = app_services.file_storage.session_dir(session_id) / "whiteboard"
    assert [p.suffix for p in media.iterdir() if p.suffix == ".png"] == [".png"]


def test_an_empty_board_is_not_sent(app_test: AppTest, app_services: Services) -> None:
    session_id = start_interview(app_test)

    click(app_test, "Save Snapshot")

    assert any("has not sent its picture" in w.value for w in app_test.warning)
    assert len(app_services.session_manager.get_conversation(session_id)) == 1


def test_clear_asks_first_then_gives_a_fresh_board(app_test: AppTest) -> None:
    session_id = start_interview(app_test)
    app_test.session_state[f"wb_canvas_{session_id}_0"] = board_state(DRAWING)
    app_test.run()

    click(app_test, "Clear")
    click(app_test, "Keep it")
    kept = app_test.session_state[f"wb_canvas_{session_id}_0"]
    assert kept["drawing"]["raw"]["objects"] == DRAWING

    click(app_test, "Clear")
    click(app_test, "Clear it")

    assert not app_test.exception
    fresh = app_test.session_state[f"wb_canvas_{session_id}_1"]
    assert fresh["drawing"]["raw"]["objects"] == []
    assert "Clear it" not in [b.label for b in app_test.button]


def test_pause_makes_the_page_read_only_until_resumed(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = start_interview(app_test)

    click(app_test, "Pause")

    assert app_services.session_manager.get_session(session_id).status is SessionStatus.PAUSED
    assert any("paused" in w.value for w in app_test.warning)
    assert app_test.chat_input[0].proto.disabled
    assert next(b for b in app_test.button if b.label == "Save Snapshot").disabled

    click(app_test, "Resume")

    assert app_services.session_manager.get_session(session_id).status is SessionStatus.ACTIVE
    assert not app_test.warning
    assert not app_test.chat_input[0].proto.disabled


def test_end_interview_confirms_then_evaluates_and_opens_the_evaluation(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = start_interview(app_test)
    app_test.chat_input[0].set_value(ANSWER).run()

    click(app_test, "End Interview")
    click(app_test, "Keep going")
    assert app_services.session_manager.get_session(session_id).status is SessionStatus.ACTIVE

    click(app_test, "End Interview")
    click(app_test, "End and evaluate")
    finish_queued_work(app_test, app_services)

    assert not app_test.exception
    assert app_services.session_manager.get_session(session_id).status is SessionStatus.COMPLETED
    assert app_services.evaluation_manager.get_evaluation(session_id) is not None
    assert app_test.title[0].value == "Evaluation"


def transcript_turns(app_test: AppTest) -> list[str]:
    """The transcript panel's turns: one `<details>` element each, in one Markdown block."""
    blocks = [m.value for m in app_test.markdown if "<details" in m.value]
    return [turn for block in blocks for turn in block.split("\n")]


def component_data(at: AppTest, name: str) -> dict[str, Any]:
    """What the page gave a custom component (the canvas, the clock), as the browser gets it."""
    [element] = [c for c in at.get("bidi_component") if c.proto.component_name.endswith(name)]
    data: dict[str, Any] = json.loads(element.proto.json)
    return data


def canvas_data(at: AppTest) -> dict[str, Any]:
    return component_data(at, "streamlit_drawable_canvas")


def labeled_box(label: str) -> dict[str, Any]:
    """A box as the canvas' labeled-box tool sends it: the label is a chip above the box."""
    return {
        "type": "LabeledRect", "label": label, "fontSize": 18, "left": 40, "top": 60,
        "width": 110, "height": 50, "scaleX": 1, "scaleY": 1, "stroke": "#1F2937",
        "strokeWidth": 3, "strokeUniform": True, "fill": "rgba(255, 255, 255, 0)",
    }  # fmt: skip


def test_a_reload_draws_the_last_snapshot_again(app_test: AppTest) -> None:
    session_id = start_interview(app_test)
    app_test.session_state[f"wb_canvas_{session_id}_0"] = board_state(DRAWING)
    app_test.run()
    click(app_test, "Save Snapshot")
    assert not app_test.exception and not app_test.error

    reloaded = reload("interview", {"session": session_id})

    assert not reloaded.exception
    assert canvas_data(reloaded)["initialDrawing"]["objects"] == DRAWING
    assert any("Restored from your snapshot" in c.value for c in reloaded.caption)


def test_the_box_label_is_asked_only_with_the_labeled_box_tool(app_test: AppTest) -> None:
    start_interview(app_test)
    assert "Box label" not in [t.label for t in app_test.text_input]

    app_test.selectbox(key="wb_tool").set_value("Labeled box").run()
    app_test.text_input(key="wb_label").set_value("  Cache ").run()

    assert canvas_data(app_test)["label"] == "Cache"
    app_test.selectbox(key="wb_tool").set_value("Rectangle").run()
    assert not app_test.exception
    assert "Box label" not in [t.label for t in app_test.text_input]
    assert canvas_data(app_test)["label"] == ""


def test_a_labeled_box_is_redrawn_with_its_label_inside_it(app_test: AppTest) -> None:
    session_id = start_interview(app_test)
    app_test.session_state[f"wb_canvas_{session_id}_0"] = board_state(
        [labeled_box("Load balancer")]
    )
    app_test.run()

    [group] = canvas_data(app_test)["initialDrawing"]["objects"]
    assert group["type"] == "Group" and (group["left"], group["top"]) == (40, 60)
    rect, text = group["objects"]
    assert rect["type"] == "Rect" and "label" not in rect
    assert text["type"] == "Textbox" and text["text"] == "Load balancer"
    assert text["width"] < rect["width"] and text["fontSize"] < 18  # shrunk to fit the box


def test_the_canvas_takes_the_width_of_its_column(app_test: AppTest) -> None:
    start_interview(app_test)
    assert canvas_data(app_test)["canvasWidth"] <= 400  # before the browser measured it

    app_test.session_state["wb_column_width"] = {"width": 431}  # as the browser reports it
    app_test.run()

    assert canvas_data(app_test)["canvasWidth"] == 431


def test_the_transcript_shows_one_line_a_turn_and_the_whole_turn_on_expanding(
    app_test: AppTest,
) -> None:
    start_interview(app_test)
    long_answer = " ".join([ANSWER] * 4)  # about 250 characters
    app_test.chat_input[0].set_value(long_answer).run()

    [turn] = [t for t in transcript_turns(app_test) if "<b>Candidate</b>" in t]
    summary = re.fullmatch(r"<details><summary[^>]*>(.*)</summary><p>(.*)</p></details>", turn)
    assert summary is not None
    line, whole = summary.groups()
    shown = re.sub(r"<[^>]+>", "", line)  # time, speaker and the start of the answer
    assert "nowrap" in turn and len(shown) < 110 and shown.endswith("…")
    assert whole == long_answer
    assert long_answer in [m.value for m in app_test.markdown]  # the chat keeps it whole

    app_test.text_input(key="transcript_search").set_value("stateless").run()

    found = transcript_turns(app_test)
    assert found and all(t.startswith("<details open>") for t in found)


def test_the_built_in_interviewer_is_shown_as_free(app_test: AppTest) -> None:
    start_interview(app_test)

    shown = [m.value for m in app_test.markdown]
    assert any("built-in, offline, free" in line for line in shown)
    assert not any("tokens" in line for line in shown)


def test_a_real_provider_shows_its_tokens_and_cost(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = start_interview(app_test)
    session = app_services.session_manager.get_session(session_id)
    config = dataclasses.replace(session.config, ai_provider="openai", ai_model="gpt-4o-mini")
    app_services.data_store.save_session(dataclasses.replace(session, config=config))
    app_test.run()

    shown = [m.value for m in app_test.markdown]
    assert any("0 / 50,000 tokens" in line and "$0.0000" in line for line in shown)
    assert not any("built-in, offline, free" in line for line in shown)


def test_estimated_tokens_are_marked_in_the_interview_bar(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = start_interview(app_test)
    session = app_services.session_manager.get_session(session_id)
    config = dataclasses.replace(session.config, ai_provider="openai", ai_model="gpt-4o-mini")
    app_services.data_store.save_session(dataclasses.replace(session, config=config))
    tracker = app_services.token_tracker
    tracker.record_usage(session_id, "response_analysis", "openai", "gpt-4o-mini", 1000, 234)
    app_test.run()
    [reported] = [m for m in app_test.markdown if "tokens]" in m.value]
    assert "~" not in reported.value

    tracker.record_usage(
        session_id, "response_analysis", "openai", "gpt-4o-mini", 10, 5, estimated=True
    )
    app_test.run()

    [estimated] = [m for m in app_test.markdown if "tokens]" in m.value]
    assert "~1,249 / 50,000 tokens" in estimated.value and "· ~$" in estimated.value
    assert "estimate" in estimated.proto.help


def test_the_clock_runs_in_the_browser_and_stops_on_pause(app_test: AppTest) -> None:
    start_interview(app_test)
    clock = component_data(app_test, "clock")
    assert clock["running"] is True and clock["elapsed"] >= 0

    click(app_test, "Pause")

    assert component_data(app_test, "clock")["running"] is False


def unreachable(session_id: str, message: Message) -> None:
    """The data store's save while the database cannot be reached."""
    raise StorageUnavailableError("Cannot reach the database after 3 attempts.")


def test_an_answer_the_database_refused_is_kept_to_send_again(
    app_test: AppTest, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = start_interview(app_test)
    store = app_services.data_store
    save = store.save_conversation
    monkeypatch.setattr(store, "save_conversation", unreachable)
    app_test.chat_input[0].set_value(ANSWER).run()

    assert any("not saved; send it again" in e.value for e in app_test.error)
    kept = app_test.text_area(key="interview_unsent_answer")
    assert kept.value == ANSWER
    assert len(app_services.session_manager.get_conversation(session_id)) == 1

    monkeypatch.setattr(store, "save_conversation", save)  # the database is back
    kept.set_value(ANSWER + " Edited.").run()
    click(app_test, "Send again")

    assert not app_test.exception and not app_test.error
    conversation = app_services.session_manager.get_conversation(session_id)
    assert [m.content for m in conversation if m.role is Role.CANDIDATE] == [ANSWER + " Edited."]
    assert conversation[-1].role is Role.INTERVIEWER
    assert not [t for t in app_test.text_area if t.key == "interview_unsent_answer"]


def test_an_unsent_answer_can_be_discarded(
    app_test: AppTest, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    start_interview(app_test)
    monkeypatch.setattr(app_services.data_store, "save_conversation", unreachable)
    app_test.chat_input[0].set_value(ANSWER).run()
    click(app_test, "Discard")
    assert not [t for t in app_test.text_area if t.key == "interview_unsent_answer"]
