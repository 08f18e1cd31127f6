"""Mode rapat: one view per screen, in a fixed order, with no sidebar or controls."""
from zi_dashboard import ui

ctx = ui.context()
ui.meeting_frame(ctx)
index = ui.meeting_view_index()
ui.meeting_view(ctx, index)
ui.meeting_controls(index)
