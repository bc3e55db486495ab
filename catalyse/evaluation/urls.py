from django.urls import path

from . import views_partnership

app_name = "evaluation"
urlpatterns = [
    path("mobilisation/", views_partnership.mobilisation, name="mobilisation"),
    path("maturite/", views_partnership.maturity, name="maturity"),
    path("maturite/questionnaire/", views_partnership.maturity_questionnaire, name="questionnaire"),
    path("publication/<str:kind>/<int:pk>/", views_partnership.publication_action, name="publication"),
]
