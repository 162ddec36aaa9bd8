"""This app's keys of the metric contract (shared/spec/metrics.md, "Classification")."""
