"""URLs of the agencies app."""

app_name = "agencies"

urlpatterns: list = []
