"""Semua Satker: every unit of a year at the as-of date (units x components, ranking, overdue,
readiness, last upload and units not updated, filters, downloads, a way into each unit)."""

from zi_dashboard.app import ui

ui.province_page(*ui.province_choice())
