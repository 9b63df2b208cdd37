"""Reading published reports (txt, md, html, docx, pdf) into sessions — built by the import issue.
May import core, narrative and checks; never the interview, output or the front ends.

source.py reads a file as text (one module per format: plain, pdf, html, word); tables.py and numbers.py
read tables 二–四 out of that text whatever the format; document.py the title and sections; report.py
builds the Session and the parse report.
"""

from report_wizard.reading.report import ImportResult, import_report
from report_wizard.reading.source import NO_TEXT_LAYER, ReadingError

__all__ = ["NO_TEXT_LAYER", "ImportResult", "ReadingError", "import_report"]
