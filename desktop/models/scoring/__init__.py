"""Scoring: the value reader, the rule sets (data), the incremental engine and validation (审核)."""
