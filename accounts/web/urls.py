"""Sign-in pages and the language switch."""

from django.urls import path

from accounts.web import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.language_set, name="language"),
]
