"""Output formats: the report as plain text, Markdown and HTML (Jinja2 templates, render.py) and as a Word
document in the official layout (python-docx, docx.py).
May import core, narrative and checks; never the interview, the store or the front ends."""
