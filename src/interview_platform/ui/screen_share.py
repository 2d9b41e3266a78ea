"""The screen-share component: `getDisplayMedia` in the page, a PNG to Python every few seconds.

streamlit-webrtc cannot capture a screen, so this small `st.components.v2` component does it:
"Share screen" asks the browser for a screen, window or tab; every `interval` seconds the
current picture is drawn into a canvas no wider than `max_width` and sent to Python as a
base64 PNG (a trigger value `frame` with a counter), unless it is the picture sent last time.
The state value `sharing` drives the indicator; "Stop" or the browser's own "Stop sharing"
ends the track and resets it. Failures (permission denied, no screen capture in this browser)
come back as the trigger value `error`, in words for the candidate.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from interview_platform.errors import ValidationError

MAX_PNG_BYTES = 5 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COMPONENT_NAME = "interview_platform_screen_share"

HTML = """
<div class="screen-share">
  <div class="controls">
    <button type="button" class="start">Share screen</button>
    <button type="button" class="stop" hidden>Stop sharing</button>
    <span class="indicator" hidden role="status">&#9679; Sharing your screen</span>
  </div>
  <video class="preview" muted playsinline hidden></video>
  <p class="message" hidden role="alert"></p>
</div>
"""

CSS = """
.screen-share { font-family: var(--st-font, sans-serif); color: var(--st-text-color); }
.controls { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
button {
  font: inherit; padding: 0.35rem 0.8rem; border-radius: 0.5rem; cursor: pointer;
  border: 1px solid var(--st-border-color, #ccc);
  background: var(--st-secondary-background-color, #f0f2f6); color: inherit;
}
.indicator { color: #d32f2f; font-weight: 600; }
.preview { display: block; max-width: 240px; margin-top: 0.5rem; border-radius: 0.25rem; }
.message { color: #b26a00; margin: 0.5rem 0 0; }
"""

JS = """
const MESSAGES = {
  NotAllowedError: "Screen sharing was not allowed. You can try again, or go on in text.",
  NotFoundError: "No screen, window or tab could be captured. The interview goes on in text.",
  NotReadableError: "The screen could not be captured (another program may be using it). "
    + "The interview goes on in text.",
  Unsupported: "This browser cannot share a screen from this page (it needs a recent browser, "
    + "and https or localhost). The interview goes on in text.",
};

function attach(root) {
  const share = {
    root, stream: null, timer: null, counter: 0, lastPng: null, send: null, setState: null,
    intervalMs: 5000, maxWidth: 1280,
    video: root.querySelector(".preview"),
    canvas: document.createElement("canvas"),
  };
  const show = (sharing, message) => {
    root.querySelector(".start").hidden = sharing;
    root.querySelector(".stop").hidden = !sharing;
    root.querySelector(".indicator").hidden = !sharing;
    share.video.hidden = !sharing;
    const text = root.querySelector(".message");
    text.hidden = !message;
    text.textContent = message || "";
  };
  share.stop = (message) => {
    clearInterval(share.timer);
    share.timer = null;
    if (share.stream) share.stream.getTracks().forEach((track) => track.stop());
    share.stream = null;
    share.video.srcObject = null;
    share.lastPng = null;
    show(false, message);
    if (share.setState) share.setState("sharing", false);
  };
  share.capture = () => {
    if (!root.isConnected) return share.stop();  // the page left: stop sharing
    const { video, canvas } = share;
    if (!video.videoWidth || !share.send) return;
    const scale = Math.min(1, share.maxWidth / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    const png = canvas.toDataURL("image/png").split(",")[1];
    if (png === share.lastPng) return;  // the screen has not changed
    share.lastPng = png;
    share.counter += 1;
    const { width, height } = canvas;
    share.send("frame", { png, counter: share.counter, width, height });
  };
  share.start = async () => {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) {
      share.send && share.send("error", MESSAGES.Unsupported);
      return show(false, MESSAGES.Unsupported);
    }
    try {
      share.stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      const message = MESSAGES[error.name] || `Screen sharing failed (${error.name}). `
        + "The interview goes on in text.";
      share.send && share.send("error", message);
      return show(false, message);
    }
    const [track] = share.stream.getVideoTracks();
    track.onended = () => share.stop();  // the browser's own "Stop sharing"
    share.video.srcObject = share.stream;
    await share.video.play().catch(() => {});
    show(true);
    share.setState && share.setState("sharing", true);
    share.timer = setInterval(share.capture, share.intervalMs);
    setTimeout(share.capture, 500);  // the first picture soon after starting
  };
  root.querySelector(".start").addEventListener("click", () => share.start());
  root.querySelector(".stop").addEventListener("click", () => share.stop());
  return share;
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  const root = parentElement.querySelector(".screen-share");
  // Streamlit calls this again when `data` changes; the sharing state lives on the element.
  const share = root.__screenShare || (root.__screenShare = attach(root));
  share.send = setTriggerValue;
  share.setState = setStateValue;
  share.maxWidth = data.max_width;
  if (share.intervalMs !== data.interval_ms) {
    share.intervalMs = data.interval_ms;
    if (share.timer) {
      clearInterval(share.timer);
      share.timer = setInterval(share.capture, share.intervalMs);
    }
  }
  return () => { if (!root.isConnected) share.stop(); };
}
"""


@dataclass(frozen=True)
class ScreenShareUpdate:
    """What one run of the page received from the component."""

    sharing: bool
    png: bytes | None = None  # a new picture, validated
    counter: int | None = None
    error: str | None = None  # for the candidate: why sharing did not start or a frame failed


@functools.cache
def _component() -> Callable[..., Any]:
    mount: Callable[..., Any] = st.components.v2.component(
        COMPONENT_NAME, html=HTML, css=CSS, js=JS
    )
    return mount


def screen_share(key: str, interval_seconds: float, max_width: int) -> ScreenShareUpdate:
    """Mount the component; what it sent since the last run, validated."""
    data = {"interval_ms": round(interval_seconds * 1000), "max_width": max_width}
    result = _component()(
        key=key,
        data=data,
        default={"sharing": False},
        on_sharing_change=_ignore,
        on_frame_change=_ignore,
        on_error_change=_ignore,
    )
    sharing = bool(getattr(result, "sharing", False))
    frame, error = getattr(result, "frame", None), getattr(result, "error", None)
    if isinstance(error, str):
        return ScreenShareUpdate(sharing, error=error[:300])
    if frame is None:
        return ScreenShareUpdate(sharing)
    try:
        return ScreenShareUpdate(sharing, decode_png(frame), _counter(frame))
    except ValidationError as exc:
        return ScreenShareUpdate(sharing, error=str(exc))


def decode_png(frame: object) -> bytes:
    """The PNG bytes of a `frame` value ({"png": base64, ...}); refuses anything else."""
    encoded = frame.get("png") if isinstance(frame, dict) else None
    if not isinstance(encoded, str) or not encoded:
        raise ValidationError("The screen capture arrived without a picture; it was skipped.")
    if len(encoded) > (MAX_PNG_BYTES * 4) // 3 + 4:
        raise ValidationError("The screen capture is larger than 5 MB; it was skipped.")
    try:
        png = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("The screen capture was not valid base64; it was skipped.") from exc
    if not png.startswith(PNG_SIGNATURE):
        raise ValidationError("The screen capture is not a PNG picture; it was skipped.")
    if len(png) > MAX_PNG_BYTES:
        raise ValidationError("The screen capture is larger than 5 MB; it was skipped.")
    return png


def _counter(frame: object) -> int | None:
    value = frame.get("counter") if isinstance(frame, dict) else None
    return value if isinstance(value, int) else None


def _ignore() -> None:
    """The component's values are read from its result; the callbacks only register them."""
