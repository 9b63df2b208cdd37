"""The Textual front end: screens and widgets that display what the interview engine decides."""
