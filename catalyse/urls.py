from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from catalyse.actors import views as actors_views
from catalyse.actors import views_map, views_stats
from catalyse.api.main import api
from catalyse.core import views as core_views
from catalyse.core import views_markdown
from catalyse.evaluation import views_dashboard as evaluation_dashboards

urlpatterns = [
    path("", core_views.home, name="home"),
    path("a-propos/", core_views.about, name="about"),
    path("design/", core_views.design, name="design"),
    path("apercu-markdown/", views_markdown.markdown_preview, name="markdown_preview"),
    path("territoires/", include("catalyse.territories.urls")),
    path("graphe/", include("catalyse.initiatives.urls_graph")),
    path("organisations/", include("catalyse.actors.urls")),
    path("carte/", views_map.organisation_map, name="map"),
    path("reseau/", views_stats.network, name="network"),
    path("initiatives/<slug:slug>/evaluation/", include("catalyse.evaluation.urls")),
    path("initiatives/", include("catalyse.initiatives.urls")),
    path("evaluation/", evaluation_dashboards.network_dashboard, name="evaluation_network"),
    path("ressources/", include("catalyse.resources.urls")),
    path("donnees/", actors_views.open_data, name="open_data"),
    path("observatoire/", include("catalyse.observatory.urls")),
    path("evenements/", include("catalyse.events.urls")),
    path("recherche/", include("catalyse.search.urls")),
    path("", include("catalyse.workshops.urls")),
    path("", include("catalyse.workshops.urls_synthesis")),
    path("", include("catalyse.accounts.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # FileField.url is MEDIA_URL + the file's path: every link to an upload comes here.
    path(settings.MEDIA_URL.strip("/") + "/<path:path>", core_views.media_file, name="media"),
]

handler400 = "catalyse.core.views.bad_request"
handler403 = "catalyse.core.views.permission_denied"
handler404 = "catalyse.core.views.page_not_found"
# handler500 stays Django's: it renders templates/500.html without running anything that may have failed.
