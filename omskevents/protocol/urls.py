"""URLs of the protocol app: /protocols/…"""

from django.urls import path

from . import views

app_name = "protocol"

urlpatterns = [
    path("", views.ProtocolListView.as_view(), name="list"),
    path("new/", views.ProtocolCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProtocolDetailView.as_view(), name="detail"),
    path("<int:pk>/sections/", views.SectionAddView.as_view(), name="section_add"),
    path("<int:pk>/protocol.docx", views.ProtocolDocxView.as_view(), name="docx"),
    path("<int:pk>/tasks/", views.ProtocolTasksView.as_view(), name="make_tasks"),
    path("sections/<int:pk>/items/new/", views.ItemAddView.as_view(), name="item_add"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("items/<int:pk>/agree/", views.ItemAgreeView.as_view(), name="item_agree"),
    path("items/<int:pk>/strike/", views.ItemStrikeView.as_view(), name="item_strike"),
]
