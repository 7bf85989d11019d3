"""Exports of the projected graph: ``graph.export.html`` (offline interactive page) and
``graph.export.tables`` (CSV). Drawing and writing live here; nothing here computes measures."""
