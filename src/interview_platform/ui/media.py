"""The camera and the screen share on the interview page: UI functions the page calls.

Each owns its `st.session_state` keys (prefixed with its name and the session id) and shows
its own failures as warnings, so a mode that fails leaves the interview going on in text.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from interview_platform.communication.video import VideoRecorder
from interview_platform.config import CommunicationSettings
from interview_platform.errors import InterviewPlatformError
from interview_platform.storage.file_storage import FileStorage
from interview_platform.ui.context import services
from interview_platform.ui.screen_share import screen_share

if TYPE_CHECKING:
    from streamlit_webrtc.config import Translations

# streamlit-webrtc's own texts, for when the browser cannot give it the camera.
CAMERA_TEXTS: Translations = {
    "start": "Start camera",
    "stop": "Stop camera",
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


# --- Camera ----------------------------------------------------------------------------------


def render_video(session_id: str) -> None:
    """The camera (no sound), recorded on the server to video/interview.mp4 while it is on."""
    from streamlit_webrtc import WebRtcMode, webrtc_streamer  # starts a loop: only when used

    app = services()
    settings = app.settings.communication
    recorder = _recorder(session_id, app.file_storage, settings)
    try:
        context = webrtc_streamer(
            key=f"video-{session_id}",
            mode=WebRtcMode.SENDONLY,
            rtc_configuration=rtc_configuration(settings.stun_server),
            media_stream_constraints={"video": True, "audio": False},
            in_recorder_factory=recorder.recorder_factory,
            translations=CAMERA_TEXTS,
        )
    except Exception as exc:  # the worker's own errors too: the camera is optional
        st.warning(_camera_failed(exc), icon=":material/videocam_off:")
        return
    if context.state.playing:
        _recording_status(session_id)
    elif context.state.signalling:
        st.caption("Connecting the camera...")
    elif recorder.pending:
        _store_video(recorder)
    else:
        st.caption(
            f"Press Start camera to record your answers on video (up to "
            f"{settings.video_max_minutes} minutes). Without a camera, go on in text."
        )


def _camera_failed(error: Exception) -> str:
    if isinstance(error, InterviewPlatformError):
        return str(error)
    return (
        f"The camera connection failed ({type(error).__name__}: {str(error)[:200]}). "
        "Press Start camera to try again, or go on in text."
    )


def _recorder(
    session_id: str, files: FileStorage, settings: CommunicationSettings
) -> VideoRecorder:
    key = f"video-recorder-{session_id}"
    recorder = st.session_state.get(key)
    if not isinstance(recorder, VideoRecorder):
        recorder = st.session_state[key] = VideoRecorder(files, session_id, settings)
    return recorder


@st.fragment(run_every="2s")
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


# --- Screen share ----------------------------------------------------------------------------


def render_screen_share(
    session_id: str,
    files: FileStorage | None = None,
    settings: CommunicationSettings | None = None,
) -> None:
    """The screen-share button; every new picture is stored as screen/capture_NNN.png."""
    if files is None or settings is None:
        app = services()
        files = files or app.file_storage
        settings = settings or app.settings.communication
    _screen_share_panel(session_id, files, settings)


@st.fragment  # a picture every few seconds reruns this panel, not the page
def _screen_share_panel(
    session_id: str,
    files: FileStorage,
    settings: CommunicationSettings,
) -> None:
    update = screen_share(
        f"screen-share-{session_id}",
        settings.screen_capture_interval_seconds,
        settings.screen_capture_max_width,
    )
    state = _share_state(session_id)
    if update.png is not None:
        try:
            store_capture(files, session_id, update.png, update.counter, state)
        except InterviewPlatformError as exc:
            st.warning(
                f"A screen capture was not saved: {exc}", icon=":material/stop_screen_share:"
            )
    if update.error:
        st.warning(update.error, icon=":material/stop_screen_share:")
    if update.sharing:
        st.markdown(":red[**● Sharing your screen**]")
    if state["saved"]:
        st.caption(f"{state['saved']} screen captures saved in this tab.")


def _share_state(session_id: str) -> dict[str, Any]:
    key = f"screen-share-state-{session_id}"
    if key not in st.session_state:
        st.session_state[key] = {"last_sha256": None, "saved": 0}
    state: dict[str, Any] = st.session_state[key]
    return state


def store_capture(
    files: FileStorage, session_id: str, png: bytes, counter: int | None, state: dict[str, Any]
) -> str | None:
    """Store a screen capture unless it is the picture this tab stored last (by SHA-256);
    `state` holds the last digest and the count saved."""
    digest = hashlib.sha256(png).hexdigest()
    if digest == state.get("last_sha256"):
        return None
    path = files.save_screen_capture(
        session_id, png, {"source": "screen_share", "counter": counter}
    )
    state["last_sha256"] = digest
    state["saved"] = state.get("saved", 0) + 1
    return path
