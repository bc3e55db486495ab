from django.urls import path

from . import views_synthesis as views

app_name = "syntheses"
urlpatterns = [
    path("syntheses/<int:board>/", views.board_synthesis_page, name="board"),
    path("syntheses/<int:board>/modifier/", views.board_synthesis_edit, name="edit"),
    path("evenements/<slug:slug>/synthese/", views.event_synthesis_page, name="event"),
    path("evenements/<slug:slug>/synthese.pdf", views.event_synthesis_pdf, name="event_pdf"),
]
