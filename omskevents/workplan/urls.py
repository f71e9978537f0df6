"""URLs of the workplan app."""

app_name = "workplan"

urlpatterns: list = []
