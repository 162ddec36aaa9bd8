from django.urls import path

from . import source_views, views

app_name = "documents"

urlpatterns = [
    # The register of an issuer's documents, the report form (a background job), the settings (views).
    path("to-chuc/<str:code>/van-ban/", views.register, name="register"),
    path("to-chuc/<str:code>/van-ban/bao-cao/", views.report_new, name="report_new"),
    path("to-chuc/<str:code>/van-ban/cai-dat/", views.settings_edit, name="settings"),
    # One document: read, edit the draft's text, issue, delete the draft, download (views).
    path("van-ban/<int:pk>/", views.detail, name="detail"),
    path("van-ban/<int:pk>/ban-hanh/", views.issue, name="issue"),
    path("van-ban/<int:pk>/xoa/", views.delete, name="delete"),
    path("van-ban/<int:pk>/tai-ve.<str:fmt>", views.download, name="download"),
    # Drafts written from another page's data: POST, then the draft's page (source_views).
    path("sinh-hoat/<int:pk>/giay-moi/", source_views.invitation, name="invitation"),
    path("sinh-hoat/<int:pk>/bien-ban/van-ban/", source_views.minutes, name="minutes"),
    path("to-chuc/<str:code>/kiem-tra/van-ban/", source_views.programme, name="programme"),
    path("to-chuc/<str:code>/huy-hieu/dot/to-trinh/", source_views.badge_list, name="badge_list"),
]
