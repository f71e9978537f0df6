"""Views of the committee app."""
