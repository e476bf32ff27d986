"""docgen: bilingual office documents (agreements, mobility papers, grant contracts) from YAML data."""
from __future__ import annotations

__version__ = "0.1.0"
