"""Views of the agencies app."""
