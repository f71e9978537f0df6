"""Views of the workplan app."""
