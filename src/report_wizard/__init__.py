"""report-wizard: write the 政府信息公开工作年度报告 by answering plain questions."""

__version__ = "0.1.0"

import os as _os

# Pydantic looks for third-party pydantic plugins through every installed package's entry points at its first
# model (importlib.metadata: ~20 ms of every start). This program uses none.
_os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
