"""The weekly review: ``flow`` (the steps a pair goes through), its answers, lines, history and summary."""
