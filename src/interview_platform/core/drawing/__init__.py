"""A candidate's whiteboard drawing read: offline from the canvas JSON (`canvas`), or from a PNG
by a vision model (`vision`), and what the reading finds against the problem (`findings`)."""
