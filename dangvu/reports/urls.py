from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("to-chuc/<str:code>/bao-cao/", views.report_list, name="list"),
    path("to-chuc/<str:code>/bao-cao/yeu-cau-moi/", views.request_create, name="create"),
    path("bao-cao/<int:pk>/", views.request_detail, name="request"),
    path("bao-cao/<int:pk>/sua/", views.request_edit, name="request_edit"),
    path("bao-cao/<int:pk>/rut-lai/", views.request_cancel, name="request_cancel"),
    path("bao-cao/ky/<int:pk>/", views.round_detail, name="round"),
    path("bao-cao/nop/<int:pk>/", views.submission_detail, name="submission"),
    path("bao-cao/nop/<int:pk>/gui/", views.submission_send, name="send"),
    path("bao-cao/nop/<int:pk>/nhan/", views.submission_accept, name="accept"),
    path("bao-cao/nop/<int:pk>/tra-lai/", views.submission_return, name="return"),
    path("bao-cao/tep/<int:pk>/", views.version_file, name="file"),
]
