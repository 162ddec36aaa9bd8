from django.urls import path

from . import dashboard_views, views

app_name = "targets"

urlpatterns = [
    # The dashboard of an organisation's subtree and what each figure is made of (dashboard_views).
    path("to-chuc/<str:code>/tong-quan/", dashboard_views.dashboard, name="dashboard"),
    path("to-chuc/<str:code>/chi-so/<str:key>/", dashboard_views.detail, name="detail"),
    # The year's targets and the figures of past years the office enters (views).
    path("to-chuc/<str:code>/chi-tieu/", views.targets, name="targets"),
    path("to-chuc/<str:code>/chi-tieu/them/", views.target_add, name="target_add"),
    path("to-chuc/<str:code>/chi-tieu/sao-chep/", views.targets_copy, name="targets_copy"),
    path("chi-tieu/<int:pk>/sua/", views.target_edit, name="target_edit"),
    path("chi-tieu/<int:pk>/xoa/", views.target_delete, name="target_delete"),
    path("to-chuc/<str:code>/so-lieu-nam-truoc/", views.figures, name="figures"),
    path("to-chuc/<str:code>/so-lieu-nam-truoc/nhap/", views.figure_enter, name="figure_enter"),
    path("so-lieu/<int:pk>/xoa/", views.figure_delete, name="figure_delete"),
]
