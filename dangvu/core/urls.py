from django.urls import path

from . import calendar_views, job_views, notification_views

app_name = "core"

urlpatterns = [
    path("lich-lam-viec/", calendar_views.calendar, name="calendar"),
    path("lich-lam-viec/<int:pk>/sua/", calendar_views.calendar_edit, name="calendar_edit"),
    path("lich-lam-viec/<int:pk>/xoa/", calendar_views.calendar_delete, name="calendar_delete"),
    path("thong-bao/", notification_views.notification_list, name="notifications"),
    path("thong-bao/<int:pk>/", notification_views.notification_open, name="notification_open"),
    path("thong-bao/da-doc/", notification_views.notification_read_all, name="notifications_read_all"),
    path("thong-bao/gui-loi/", notification_views.delivery_failures, name="delivery_failures"),
    path("thong-bao/gui-loi/<int:pk>/gui-lai/", notification_views.delivery_retry, name="delivery_retry"),
    path("cong-viec/<int:pk>/", job_views.job_detail, name="job"),
    path("cong-viec/<int:pk>/tai-ve/", job_views.job_download, name="job_download"),
]
