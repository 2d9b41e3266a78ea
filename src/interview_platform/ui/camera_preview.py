"""The camera's self-view: the candidate's own camera in a small mirrored `<video>`.

streamlit-webrtc shows no video in SENDONLY mode (it only plays what the server sends back,
and sending the camera back would cost the server a VP8 encode per frame), so this small
`st.components.v2` component opens the camera in the page itself and plays it locally: no
frame leaves the browser through it. The page mounts it only while the recording connection
is up; unmounted, it stops its camera track. A failure comes back as the state value `error`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import streamlit as st

COMPONENT_NAME = "interview_platform_camera_preview"
WIDTH_PX = 320

HTML = """
<div class="camera-preview">
  <video class="self-view" muted playsinline autoplay aria-label="Your camera"></video>
  <p class="message" hidden role="alert"></p>
</div>
"""

CSS = """
.camera-preview { font-family: var(--st-font, sans-serif); color: var(--st-text-color); }
.self-view {
  display: block; width: 100%; aspect-ratio: 4 / 3; object-fit: cover;
  transform: scaleX(-1); /* a mirror, as people expect to see themselves */
  border-radius: var(--st-base-radius, 0.5rem);
  background: var(--st-secondary-background-color, #f0f2f6);
}
.message { color: #b26a00; margin: 0.5rem 0 0; }
"""

JS = """
function attach(root) {
  const preview = { root, stream: null, video: root.querySelector(".self-view") };
  preview.stop = () => {
    if (preview.stream) preview.stream.getTracks().forEach((track) => track.stop());
    preview.stream = null;
    preview.video.srcObject = null;
  };
  preview.start = async (setState) => {
    try {
      preview.stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    } catch (error) {
      const text = root.querySelector(".message");
      text.hidden = false;
      text.textContent = `Your camera cannot be shown here (${error.name}); it is still recorded.`;
      setState("error", error.name);
      return;
    }
    if (!root.isConnected) return preview.stop();  // unmounted while the camera opened
    preview.video.srcObject = preview.stream;
    await preview.video.play().catch(() => {});
  };
  return preview;
}

export default function (component) {
  const { parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".camera-preview");
  if (!root.__preview) {
    root.__preview = attach(root);
    root.__preview.start(setStateValue);
  }
  const preview = root.__preview;
  return () => { if (!root.isConnected) preview.stop(); };
}
"""


@functools.cache
def _component() -> Callable[..., Any]:
    mount: Callable[..., Any] = st.components.v2.component(
        COMPONENT_NAME, html=HTML, css=CSS, js=JS
    )
    return mount


def camera_preview(key: str) -> str | None:
    """Show the camera's self-view; the browser's error name if it cannot, else None."""
    result = _component()(key=key, default={"error": None}, on_error_change=_ignore, width=WIDTH_PX)
    error = getattr(result, "error", None)
    return error if isinstance(error, str) else None


def _ignore() -> None:
    """The component's value is read from its result; the callback only registers it."""
