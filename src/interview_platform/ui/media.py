"""Voice answers, the camera and the screen share on the interview page: UI functions the
page calls.

Each owns its `st.session_state` keys (prefixed with its name and the session id) and shows
its own failures as warnings, so a mode that fails leaves the interview going on in text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from interview_platform.communication.audio import VoiceDraft
from interview_platform.communication.media import CaptureTally
from interview_platform.communication.video import VideoRecorder
from interview_platform.core.work_queue import Job
from interview_platform.errors import InterviewPlatformError, ValidationError
from interview_platform.ui.camera_preview import camera_preview
from interview_platform.ui.context import services, show_error, shows_errors
from interview_platform.ui.screen_share import screen_share
from interview_platform.ui.user_text import literal
from interview_platform.ui.work_status import job_progress

if TYPE_CHECKING:
    from streamlit_webrtc.config import Translations

# streamlit-webrtc's own texts: its messages when the browser cannot give it the camera, and
# its camera controls while recording. (Its Start and Select Device buttons are hidden: the
# page's own button drives it.)
CAMERA_TEXTS: Translations = {
    "start": "Start camera",
    "stop": "Stop camera",
    "select_device": "Choose a camera",
    "select_camera": "Choose a camera",
    "turn_camera_on": "Turn the camera on",
    "turn_camera_off": "Turn the camera off",
    "media_api_not_available": (
        "This browser cannot use a camera on this page (it needs https or localhost). "
        "The interview goes on in text."
    ),
    "device_ask_permission": "Allow the camera in your browser to record your answers.",
    "device_not_available": "No camera was found. The interview goes on in text.",
    "device_access_denied": (
        "Camera access was denied. Allow it in the browser's site settings and press "
        "Start camera again, or go on in text."
    ),
}


def rtc_configuration(stun_server: str | None) -> dict[str, Any]:
    """No ICE server unless one is configured: streamlit-webrtc otherwise picks a public one."""
    return {"iceServers": [{"urls": [stun_server]}] if stun_server else []}


# --- Voice -----------------------------------------------------------------------------------

REVIEW_LABEL = "Your spoken answer"


@dataclass
class VoiceState:
    """One tab's voice answer for a session: the recorder's take number (a new key gives a
    fresh recorder), the transcription in progress, the draft under review, the last error."""

    take: int = 0
    pending: Job[VoiceDraft] | None = None
    draft: VoiceDraft | None = None
    error: InterviewPlatformError | None = None


def voice_state(session_id: str) -> VoiceState:
    state = st.session_state.get(f"voice-{session_id}")
    if not isinstance(state, VoiceState):
        state = st.session_state[f"voice-{session_id}"] = VoiceState()
    return state


@st.fragment
@shows_errors
def render_voice(session_id: str, active: bool) -> None:
    """Answer by voice: Stop stores the recording and queues its transcription on the worker
    pool, showing its place in the queue until it is done. The transcript comes back in a box
    to check and correct, then Send makes it the answer (and reruns the page for the reply)
    or Discard drops it (the recording stays stored)."""
    audio = services().audio
    state = voice_state(session_id)
    if state.error is not None:
        show_error(state.error)
        state.error = None
    reason = audio.unavailable_reason()
    if reason is not None:
        st.caption(f":material/mic_off: {reason}")
        return
    if state.pending is None and state.draft is None:
        audio.warm_up()  # loads the model once per process, before the first answer needs it
        _record(state, session_id, active)
    if state.pending is not None:
        _wait_for_transcript(state)
    if state.draft is not None:
        _review(state, state.draft, active)


def _record(state: VoiceState, session_id: str, active: bool) -> None:
    """The recorder; once it hands over a recording, it makes way for the transcript."""
    slot = st.empty()
    recording = slot.audio_input(
        "Answer by voice", disabled=not active, key=f"voice-{session_id}-{state.take}"
    )
    if recording is None:
        return
    slot.empty()
    state.take += 1  # the next answer gets a fresh recorder
    try:
        state.pending = services().audio.transcribe_recording(session_id, recording.getvalue())
    except InterviewPlatformError as exc:
        show_error(exc)


def _wait_for_transcript(state: VoiceState) -> None:
    """The transcription's place in the queue while it waits or runs; then its draft."""
    pending = state.pending
    if pending is None:
        return
    if not pending.done():
        job_progress(pending)
        return
    state.pending = None
    try:
        state.draft = pending.result()
    except InterviewPlatformError as exc:
        show_error(exc)


def _review(state: VoiceState, draft: VoiceDraft, active: bool) -> None:
    with st.container(border=True):
        st.caption(":material/mic: Check what was heard and correct it, then send it.")
        text = st.text_area(
            REVIEW_LABEL, draft.transcript.text, key=f"voice-review-{draft.filename}"
        )
        for note in draft.transcript.notes:  # what the speech guards did
            st.caption(f":material/info: {note}")
        for fix in draft.transcript.corrections:  # near-misses written as interview terms
            st.caption(
                f":material/spellcheck: Heard “{literal(fix.heard)}”, written as "
                f"“{literal(fix.corrected)}” ({literal(fix.evidence)})."
            )
        send, discard = st.columns(2)
        discard.button(
            "Discard",
            icon=":material/delete:",
            key="voice-discard",
            on_click=_discard,
            args=(state,),
        )
        if send.button(
            "Send", type="primary", icon=":material/send:", disabled=not active, key="voice-send"
        ):
            _send(state, draft, text or "")


def _discard(state: VoiceState) -> None:
    """Drop the draft (the recording stays stored); the recorder comes back."""
    state.draft = None


def _send(state: VoiceState, draft: VoiceDraft, text: str) -> None:
    try:
        with st.spinner("The interviewer is reading your answer..."):
            services().audio.send_transcript(draft, text)
    except ValidationError as exc:  # e.g. an empty answer: the draft stays to be corrected
        show_error(exc)
        return
    except InterviewPlatformError as exc:  # the answer, if valid, is saved before the reply
        state.error = exc
    state.draft = None
    st.rerun(scope="app")  # the chat and the transcript show the new turns


# --- Camera ----------------------------------------------------------------------------------


@st.fragment  # its offer and answer rerun this panel, not the page: the camera connects sooner
@shows_errors
def render_video(session_id: str) -> None:
    """The camera (no sound), recorded on the server to video/interview.mp4 while it is on,
    with a self-view beside the recording indicator.

    The Start/Stop button is the app's own (streamlit-webrtc's buttons are Material UI's,
    in capitals, inside its iframe): it drives the widget through `desired_playing_state`,
    which also hides the widget's Start and Select Device buttons."""
    from streamlit_webrtc import WebRtcMode, webrtc_streamer  # starts a loop: only when used
    from streamlit_webrtc.component import generate_frontend_component_key

    app = services()
    settings = app.settings.communication
    recorder = _recorder(session_id)
    widget_key = f"video-{session_id}"
    # The widget reports once its iframe has mounted. Until then Start stays disabled: a start
    # asked for while the iframe loads is started again by the rerun its mount causes, and the
    # two offers' connections fail (the camera then hangs on "Connecting").
    mounted = st.session_state.get(generate_frontend_component_key(widget_key)) is not None
    wanted = _camera_switch(session_id, mounted)
    try:
        context = webrtc_streamer(
            key=widget_key,
            mode=WebRtcMode.SENDONLY,
            rtc_configuration=rtc_configuration(settings.stun_server),
            media_stream_constraints={"video": True, "audio": False},
            desired_playing_state=wanted,
            in_recorder_factory=recorder.recorder_factory,
            translations=CAMERA_TEXTS,
        )
    except Exception as exc:  # the worker's own errors too: the camera is optional
        st.warning(_camera_failed(exc), icon=":material/videocam_off:")
        return
    if context.state.playing:
        camera_preview(f"video-preview-{session_id}")
        _recording_status(session_id)
    elif context.state.signalling:
        st.caption("Connecting the camera...")
    elif recorder.pending:
        _store_video(recorder)
    elif not wanted:
        st.caption(
            f"Press Start camera to record your answers on video (up to "
            f"{settings.video_max_minutes} minutes). Without a camera, go on in text."
        )


def _camera_switch(session_id: str, mounted: bool) -> bool:
    """The Start camera / Stop camera button, enabled once the camera widget has `mounted`;
    whether the camera should be on."""
    key = f"video-on-{session_id}"
    on = bool(st.session_state.get(key, False))
    st.button(
        "Stop camera" if on else "Start camera",
        icon=":material/videocam_off:" if on else ":material/videocam:",
        key=f"video-switch-{session_id}",
        on_click=_flip,
        args=(key,),
        disabled=not (on or mounted),
        help=None if on or mounted else "The camera is loading.",
    )
    return on


def _flip(key: str) -> None:
    st.session_state[key] = not st.session_state.get(key, False)


def _camera_failed(error: Exception) -> str:
    if isinstance(error, InterviewPlatformError):
        return str(error)
    return (
        f"The camera connection failed ({type(error).__name__}: {str(error)[:200]}). "
        "Press Start camera to try again, or go on in text."
    )


def _recorder(session_id: str) -> VideoRecorder:
    """This tab's recorder for the session's camera."""
    key = f"video-recorder-{session_id}"
    recorder = st.session_state.get(key)
    if not isinstance(recorder, VideoRecorder):
        recorder = st.session_state[key] = services().media.video_recorder(session_id)
    return recorder


@st.fragment(run_every="2s")
@shows_errors
def _recording_status(session_id: str) -> None:
    recorder = st.session_state.get(f"video-recorder-{session_id}")
    if recorder is not None and recorder.stop_reason:
        st.warning(recorder.stop_reason, icon=":material/videocam_off:")
    else:
        st.markdown(":red[**● Recording**] your camera")


def _store_video(recorder: VideoRecorder) -> None:
    try:
        stored = recorder.finish()
    except InterviewPlatformError as exc:
        st.warning(f"The video was not saved: {exc}", icon=":material/videocam_off:")
        return
    if stored is not None:
        st.success(f"Video saved as {Path(stored).name}.", icon=":material/videocam:")
    if recorder.kept is not None:  # trimmed to the room the session's limits left
        st.warning(recorder.kept, icon=":material/content_cut:")


# --- Screen share ----------------------------------------------------------------------------


@st.fragment  # a picture every few seconds reruns this panel, not the page
@shows_errors
def render_screen_share(session_id: str) -> None:
    """The screen-share button; every new picture is stored as screen/capture_NNN.png."""
    app = services()
    settings = app.settings.communication
    update = screen_share(
        f"screen-share-{session_id}",
        settings.screen_capture_interval_seconds,
        settings.screen_capture_max_width,
    )
    tally = _capture_tally(session_id)
    if update.png is not None:
        try:
            app.media.store_screen_capture(session_id, update.png, update.counter, tally)
        except InterviewPlatformError as exc:
            st.warning(
                f"A screen capture was not saved: {exc}", icon=":material/stop_screen_share:"
            )
    if update.error:
        st.warning(update.error, icon=":material/stop_screen_share:")
    if update.sharing:
        st.markdown(":red[**● Sharing your screen**]")
    if tally.saved:
        st.caption(f"{tally.saved} screen captures saved in this tab.")


def _capture_tally(session_id: str) -> CaptureTally:
    """This tab's screen share of the session: the picture it stored last and the count."""
    key = f"screen-share-state-{session_id}"
    tally = st.session_state.get(key)
    if not isinstance(tally, CaptureTally):
        tally = st.session_state[key] = CaptureTally()
    return tally
