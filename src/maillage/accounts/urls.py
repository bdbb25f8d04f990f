from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.login, name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("profil/", views.profile, name="profile"),
]
