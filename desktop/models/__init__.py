"""The domain core: workbooks, values, scoring, validation and storage, in plain Python (no Qt)."""
