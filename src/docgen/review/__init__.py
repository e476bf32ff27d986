"""Review in git: the terms and their hash, signatures, the diff, the redline, textconv, EWP exchange."""
