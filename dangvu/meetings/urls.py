from django.urls import path

from . import data_views, document_views, member_views, overview, views

app_name = "meetings"

urlpatterns = [
    # The member's own page (member_views).
    path("cua-toi/", member_views.mine, name="mine"),
    path("cua-toi/moi/<int:pk>/tra-loi/", member_views.reply, name="reply"),
    # Sessions, attendance and minutes (views).
    path("to-chuc/<str:code>/sinh-hoat/", views.session_list, name="sessions"),
    path("to-chuc/<str:code>/sinh-hoat/tao/", views.session_create, name="session_create"),
    path("sinh-hoat/<int:pk>/", views.session_detail, name="session"),
    path("sinh-hoat/<int:pk>/sua/", views.session_edit, name="session_edit"),
    path("sinh-hoat/<int:pk>/huy/", views.session_cancel, name="session_cancel"),
    path("sinh-hoat/<int:pk>/diem-danh/", views.attendance, name="attendance"),
    path("sinh-hoat/<int:pk>/moi-them/", views.invitees_add, name="invitees_add"),
    path("sinh-hoat/<int:pk>/bien-ban/", views.minutes, name="minutes"),
    path("sinh-hoat/<int:pk>/bien-ban/tep/", views.minutes_file, name="minutes_file"),
    # Documents to study (document_views).
    path("to-chuc/<str:code>/hoc-tap/", document_views.document_list, name="documents"),
    path("to-chuc/<str:code>/hoc-tap/them/", document_views.document_create, name="document_create"),
    path("hoc-tap/<int:pk>/", document_views.document_detail, name="document"),
    path("hoc-tap/<int:pk>/sua/", document_views.document_edit, name="document_edit"),
    path("hoc-tap/<int:pk>/tep/", document_views.document_file, name="document_file"),
    # The year of the cells, and the office's settings (overview).
    path("to-chuc/<str:code>/sinh-hoat/tong-hop/", overview.summary, name="summary"),
    path("to-chuc/<str:code>/sinh-hoat/cai-dat/", overview.settings_edit, name="settings"),
    # Data in and out (data_views).
    path("sinh-hoat/<int:pk>/diem-danh.xlsx", data_views.attendance_export, name="attendance_export"),
    path("sinh-hoat/<int:pk>/nhap-diem-danh/", data_views.attendance_import, name="attendance_import"),
    path(
        "sinh-hoat/<int:pk>/nhap-diem-danh/mau.xlsx",
        data_views.attendance_import_template,
        name="attendance_import_template",
    ),
    path("to-chuc/<str:code>/sinh-hoat/tong-hop.xlsx", data_views.summary_export, name="summary_export"),
]
