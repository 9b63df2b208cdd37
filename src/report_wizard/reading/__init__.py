"""Reading published reports (txt, md, html, docx, pdf) into sessions — built by the import issue.
May import core, narrative and checks; never the interview, output or the front ends."""
