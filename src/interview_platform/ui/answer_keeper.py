"""The answer box, and the browser keeping each answer until the app confirms it.

The answer box is outside every fragment: sending reruns the whole page, which a restarted
server can always do, while it ignores a rerun of a fragment it has not drawn yet. The text
sent is handed over in the session state (`OUTGOING`) to the chat, which saves it. Streamlit's
browser side sometimes sends the answer in the same message as another panel's update (the
whiteboard reporting its width as the page loads), scoped to that panel's fragment; the run of
that fragment then hands the answer over and reruns the page (`catch_stray_answer`), where it
would otherwise be dropped at the end of the run.

When the candidate sends an answer, the page remembers it in the tab's `sessionStorage`
before Streamlit clears the box. Each time the app draws the chat it tells the page which
answers it holds (a fingerprint of the latest saved answers, and of every answer this tab
sent that the app received, saved or not). An answer the app never received, because the
server stalled, crashed or restarted while it was on its way, comes back into the answer box
with a note, instead of vanishing with the cleared box. The page decides it was lost when a
run drawn after it was sent does not hold it, or when it has waited a few seconds with no run
at all.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

ANSWER_BOX = "interview_answer"
OUTGOING = "interview_outgoing_answer"  # an answer typed or resent, on its way to be saved
COMPONENT_NAME = "interview_platform_answer_keeper"
RECEIVED = "answer_keeper_received"  # fingerprints of answers this tab's session received
RECEIVED_KEPT = 50
_runs = itertools.count()

HTML = '<div class="keeper" role="status" aria-live="polite"></div>'

CSS = """
.keeper:empty { display: none; }
.keeper {
  font-family: var(--st-font, sans-serif); font-size: 0.9rem; line-height: 1.4;
  background: #fff8e1; color: #5d4037; border-radius: 0.5rem; padding: 0.6rem 0.8rem;
}
.keeper textarea { width: 100%; min-height: 4rem; margin-top: 0.4rem; font: inherit; }
.keeper button { margin-top: 0.4rem; font: inherit; cursor: pointer; }
"""

JS = """
const BOX = '[data-testid="stChatInputTextArea"]';
const SEND = '[data-testid="stChatInputSubmitButton"]';
const STORE = "interview_platform.unconfirmed_answers.";
const SETTLE_MS = 2000;  // a run drawn this long after the answer was sent had to hold it
const SILENT_MS = 5000;  // no run at all this long after sending, with the app idle

const squeezed = (text) => text.replace(/\\s+/g, "");
function fingerprint(text) {  // FNV-1a over UTF-16 code units, as answer_keeper.fingerprint
  const units = squeezed(text);
  let hash = 0x811c9dc5;
  for (let i = 0; i < units.length; i += 1) {
    hash = Math.imul(hash ^ units.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

const keeper = window.__interviewAnswerKeeper ??= { session: null, known: new Set(),
  lastRun: 0, lost: null, root: null };
const load = () => JSON.parse(sessionStorage.getItem(STORE + keeper.session) ?? "[]");
function store(answers) {
  try {
    sessionStorage.setItem(STORE + keeper.session, JSON.stringify(answers));
  } catch {  // over the tab's storage quota (megabytes): the app refuses such an answer anyway
    sessionStorage.removeItem(STORE + keeper.session);
  }
}
const idle = () => document.querySelector('[data-testid="stApp"]')
  ?.getAttribute("data-test-script-state") === "notRunning";

function remember(text) {
  if (!keeper.session || !text.trim()) return;
  store([...load(), { text, at: Date.now() }]);
  keeper.lost = null;
  show();
}

function putBack() {  // into the box once it takes text (it is disabled while reconnecting)
  const box = document.querySelector(BOX);
  if (!keeper.lost || keeper.lost.inBox || !box || box.disabled || box.value.trim()) return;
  const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
  setValue.call(box, keeper.lost.text);
  box.dispatchEvent(new Event("input", { bubbles: true }));
  keeper.lost.inBox = true;
  show();
}

function lost(text) {
  keeper.lost = { text, inBox: false };
  show();
  putBack();
}

function show() {
  const note = keeper.root?.querySelector(".keeper");
  if (!note) return;
  note.replaceChildren();
  if (!keeper.lost) return;
  const line = document.createElement("div");
  line.textContent = keeper.lost.inBox
    ? "Your last answer did not reach the app (it stalled, restarted or lost the connection), "
      + "so it was not saved. It is back in the answer box: press Enter to send it."
    : "Your last answer did not reach the app (it stalled, restarted or lost the connection), "
      + "so it was not saved. Here it is, to copy and send again:";
  note.append(line);
  if (!keeper.lost.inBox) {
    const copy = document.createElement("textarea");
    copy.readOnly = true;
    copy.value = keeper.lost.text;
    note.append(copy);
  }
  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.textContent = "Dismiss";
  dismiss.addEventListener("click", () => { keeper.lost = null; show(); });
  note.append(dismiss);
}

function check() {
  if (!keeper.session) return;
  const now = Date.now();
  const waiting = [];
  for (const answer of load()) {
    if (keeper.known.has(fingerprint(answer.text))) continue;  // the app has it
    const runMissedIt = keeper.lastRun - answer.at > SETTLE_MS;
    const noRunCame = keeper.lastRun < answer.at && now - answer.at > SILENT_MS && idle();
    if (runMissedIt || noRunCame) lost(answer.text);
    else waiting.push(answer);
  }
  store(waiting);
  putBack();
}

if (!keeper.listening) {
  keeper.listening = true;
  document.addEventListener("keydown", (event) => {
    const box = event.target instanceof Element ? event.target.closest(BOX) : null;
    if (box && event.key === "Enter" && !event.shiftKey && !event.isComposing) remember(box.value);
  }, true);
  document.addEventListener("click", (event) => {
    const send = event.target instanceof Element ? event.target.closest(SEND) : null;
    const box = document.querySelector(BOX);
    if (send && box && !send.disabled) remember(box.value);
  }, true);
  setInterval(check, 1000);
}

export default function ({ data, parentElement }) {
  keeper.session = data.session;
  keeper.known = new Set(data.known);
  keeper.lastRun = Date.now();
  keeper.root = parentElement;
  check();
  show();
}
"""


def fingerprint(text: str) -> str:
    """The page's fingerprint of an answer: FNV-1a over its UTF-16 code units, whitespace
    left out (the app may trim or re-space what it saves)."""
    units = "".join(text.split()).encode("utf-16-le", "surrogatepass")
    value = 0x811C9DC5
    for index in range(0, len(units), 2):
        value = ((value ^ int.from_bytes(units[index : index + 2], "little")) * 0x01000193) & (
            0xFFFFFFFF
        )
    return f"{value:08x}"


# Every run of the chat fingerprints the latest saved answers again; saved answers are at
# most MAX_MESSAGE_CHARS long, so the cache stays small (a typed text, possibly megabytes
# the app then refuses, is fingerprinted once and not kept).
_saved_fingerprint = functools.lru_cache(maxsize=64)(fingerprint)


def answer_box(placeholder: str, disabled: bool = False) -> None:
    """The chat's answer box; what is sent is handed over to be saved."""
    typed = st.chat_input(placeholder, disabled=disabled, key=ANSWER_BOX)
    if isinstance(typed, str) and typed:
        hand_over(typed)


def hand_over(text: str) -> None:
    """`text` is to be saved by the chat on its next run (an answer typed, or one resent)."""
    received(text)
    st.session_state[OUTGOING] = text


def take_outgoing() -> str | None:
    """The answer waiting to be saved, if any, now the caller's to save."""
    text = st.session_state.pop(OUTGOING, None)
    return text if isinstance(text, str) and text else None


def catch_stray_answer() -> None:
    """In a run of fragments only, an answer sent with it is handed over and the page reruns:
    the answer box is in no fragment, so nothing else would read it before it is dropped."""
    context = get_script_run_ctx()
    if context is None or not context.fragment_ids_this_run:
        return
    typed = st.session_state.get(ANSWER_BOX)
    if isinstance(typed, str) and typed:
        hand_over(typed)
        st.rerun(scope="app")


def received(text: str) -> None:
    """The app got `text` from this tab: saved, kept on the page to resend, or refused with
    a message, it is no longer the browser's to keep."""
    kept = [*st.session_state.get(RECEIVED, []), fingerprint(text)]
    st.session_state[RECEIVED] = kept[-RECEIVED_KEPT:]


def keep_answers(session_id: str, saved_answers: Iterable[str]) -> None:
    """Tell the page which answers the app holds: `saved_answers` (the latest the database
    has) and those this tab's session received."""
    known = {_saved_fingerprint(text) for text in saved_answers}
    known.update(st.session_state.get(RECEIVED, []))
    data = {"session": session_id, "known": sorted(known), "run": next(_runs)}
    _component()(key="answer_keeper", data=data)


@functools.cache
def _component() -> Callable[..., Any]:
    mount: Callable[..., Any] = st.components.v2.component(
        COMPONENT_NAME, html=HTML, css=CSS, js=JS
    )
    return mount
