"""Mode rapat: one view per screen, in a fixed order, with no sidebar or controls."""

from zi_dashboard.app import ui

ctx = ui.context()
ui.meeting_frame(ctx)
index = ui.meeting_slide_index()
ui.meeting_slide(ctx, index)
ui.meeting_controls(index, ctx)
