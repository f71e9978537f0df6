"""Views of the events app."""
