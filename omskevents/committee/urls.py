"""URLs of the committee app."""

app_name = "committee"

urlpatterns: list = []
