"""Screens of the app, each with its .tcss file beside it."""
