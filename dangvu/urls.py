from django.urls import include, path

from dangvu.core import views as core_views
from dangvu.organization import views as organization_views

from .api import api

handler404 = "dangvu.core.views.error_404"
handler500 = "dangvu.core.views.error_500"

urlpatterns = [
    path("", organization_views.home, name="home"),
    path("dang-nhap/", core_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", core_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path("ca-nhan/", core_views.profile, name="profile"),
    path("ca-nhan/ngon-ngu/", core_views.language_set, name="language_set"),
    path("ca-nhan/ma-api/", core_views.token_create, name="token_create"),
    path("ca-nhan/ma-api/<int:pk>/thu-hoi/", core_views.token_revoke, name="token_revoke"),
    path("", include("dangvu.core.urls")),
    path("", include("dangvu.organization.urls")),
    path("", include("dangvu.members.urls")),
    path("", include("dangvu.reports.urls")),
    path("", include("dangvu.classification.urls")),
    path("", include("dangvu.meetings.urls")),
    path("", include("dangvu.programme.urls")),
    path("", include("dangvu.development.urls")),
    path("", include("dangvu.badges.urls")),
    path("", include("dangvu.targets.urls")),
    path("", include("dangvu.documents.urls")),
    path("api/v1/", api.urls),
]
