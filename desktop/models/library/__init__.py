"""指标库: the bundled library of common indicators, the unit's own history, and suggestions from both."""
