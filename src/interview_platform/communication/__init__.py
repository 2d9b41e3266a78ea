"""Communication modes: audio, video, whiteboard and screen share."""
