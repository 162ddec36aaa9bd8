from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("to-chuc/<str:code>/dang-vien/", views.member_list, name="list"),
    path("to-chuc/<str:code>/so/<str:register>/", views.member_list, name="register"),
    path("to-chuc/<str:code>/dang-vien/them/", views.member_create, name="create"),
    path("to-chuc/<str:code>/dang-vien/nhap/", views.member_import, name="import"),
    path("to-chuc/<str:code>/dang-vien/nhap/mau.xlsx", views.member_import_template, name="import_template"),
    path("dang-vien/<int:pk>/", views.member_detail, name="detail"),
    path("dang-vien/<int:pk>/sua/", views.member_edit, name="edit"),
    path("dang-vien/<int:pk>/su-kien/them/", views.event_add, name="event_add"),
    path("su-kien/<int:pk>/xoa/", views.event_delete, name="event_delete"),
]
