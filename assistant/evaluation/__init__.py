"""Evaluation: test sets, the metrics of one answer, running a set through the Assistant, and the
reports (tables, comparisons, thresholds, HTML)."""
