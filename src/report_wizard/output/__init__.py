"""Output formats: the report as plain text, Markdown and HTML (Jinja2 templates), docx next.
May import core, narrative and checks; never the interview, the store or the front ends."""
