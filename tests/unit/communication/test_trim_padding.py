"""The encoder sees a window's audio and 2 s of its padding, not always 30 s."""

from __future__ import annotations

import numpy as np

from interview_platform.communication.local_whisper import PADDING_FRAMES, trim_padding


def window(audio_frames: int, total: int = 3000) -> np.ndarray:
    features = np.zeros((80, total), np.float32)
    features[:, :audio_frames] = np.random.default_rng(1).uniform(-1, 1, (80, audio_frames))
    return features


def test_a_short_window_keeps_its_audio_and_two_seconds_of_padding() -> None:
    trimmed = trim_padding(window(1500))

    assert trimmed.shape == (80, 1500 + PADDING_FRAMES)
    np.testing.assert_array_equal(trimmed[:, :1500], window(1500)[:, :1500])


def test_the_length_is_rounded_up_to_whole_seconds() -> None:
    assert trim_padding(window(1234)).shape[-1] == 1500


def test_a_full_window_is_left_whole_and_a_batch_axis_is_kept() -> None:
    assert trim_padding(window(2900)).shape == (80, 3000)
    assert trim_padding(window(700)[None]).shape == (1, 80, 900)


def test_a_window_of_padding_only_keeps_the_padding() -> None:
    assert trim_padding(window(0)).shape == (80, PADDING_FRAMES)
