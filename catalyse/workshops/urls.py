from django.urls import path

from . import views

app_name = "workshops"
urlpatterns = [
    path("rejoindre/", views.join, name="join"),
    path("ateliers/nouveau/", views.board_new, name="new"),
    path("ateliers/<str:code>/", views.board_page, name="board"),
    path("ateliers/<str:code>/rejoindre/", views.board_join, name="board_join"),
    path("ateliers/<str:code>/reglages/", views.board_settings, name="settings"),
    path("ateliers/<str:code>/modifications/", views.board_changes, name="changes"),
    path("ateliers/<str:code>/cartes/", views.card_new, name="card_new"),
    path("ateliers/<str:code>/cartes/<int:number>/vote/", views.card_vote, name="card_vote"),
    path("ateliers/<str:code>/cartes/<int:number>/epingler/", views.card_pin, name="card_pin"),
    path("ateliers/<str:code>/cartes/<int:number>/deplacer/", views.card_move, name="card_move"),
    path("ateliers/<str:code>/fusionner/", views.cards_merge, name="merge"),
    path("ateliers/<str:code>/clore/", views.board_close, name="close"),
]
