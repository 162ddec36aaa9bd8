from django.urls import path

from . import views

app_name = "organization"

urlpatterns = [
    path("to-chuc/<str:code>/", views.organization_detail, name="detail"),
    path("to-chuc/<str:code>/them/", views.organization_create, name="create"),
    path("to-chuc/<str:code>/sua/", views.organization_edit, name="edit"),
    path("to-chuc/<str:code>/xoa/", views.organization_delete, name="delete"),
    path("to-chuc/<str:code>/cap-uy/them/", views.seat_create, name="seat_create"),
    path("to-chuc/<str:code>/tai-khoan/", views.accounts, name="accounts"),
    path("to-chuc/<str:code>/vai-tro/", views.roles, name="roles"),
    path("to-chuc/<str:code>/nhap-to-chuc/", views.organizations_import, name="import"),
    path("to-chuc/<str:code>/nhap-cap-uy/", views.seats_import, name="seats_import"),
    path("to-chuc/<str:code>/mau-<str:kind>.xlsx", views.import_template, name="import_template"),
    path("to-chuc/<str:code>/xuat-to-chuc.xlsx", views.organizations_export, name="export"),
    path("to-chuc/<str:code>/xuat-cap-uy.xlsx", views.seats_export, name="seats_export"),
    path("cap-uy/<int:pk>/sua/", views.seat_edit, name="seat_edit"),
    path("cap-uy/<int:pk>/xoa/", views.seat_delete, name="seat_delete"),
    path("nguoi/<int:pk>/", views.person_detail, name="person"),
    path("nguoi/<int:pk>/dat-lai-mat-khau/", views.person_password_reset, name="password_reset"),
    path("vai-tro/<int:pk>/thu-hoi/", views.role_revoke, name="role_revoke"),
    path("nguoi/<int:pk>/ma-api/<int:token_pk>/thu-hoi/", views.person_token_revoke, name="token_revoke"),
]
