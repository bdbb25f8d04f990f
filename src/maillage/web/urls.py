from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("communes/", views.commune_search, name="commune-search"),
    path("communes/<str:insee>/", views.commune_detail, name="commune-detail"),
]
