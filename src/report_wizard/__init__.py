"""report-wizard: write the 政府信息公开工作年度报告 by answering plain questions."""

__version__ = "0.1.0"
