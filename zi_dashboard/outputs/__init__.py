"""Outputs: figures -> charts, tables as pages show them, CSV/XLSX exports, the meeting pack, the template."""
