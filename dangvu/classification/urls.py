from django.urls import path

from . import data_views, views

app_name = "classification"

urlpatterns = [
    path("to-chuc/<str:code>/danh-gia/", views.campaign_list, name="list"),
    path("to-chuc/<str:code>/danh-gia/mo/", views.campaign_create, name="create"),
    path("danh-gia/<int:pk>/", views.campaign_detail, name="campaign"),
    path("danh-gia/<int:pk>/sua/", views.campaign_edit, name="campaign_edit"),
    path("danh-gia/<int:pk>/tu-danh-gia/", views.self_assessment, name="self"),
    path("danh-gia/<int:pk>/chi-bo/<str:code>/", views.cell_sheet, name="cell"),
    path("danh-gia/<int:pk>/chi-bo/<str:code>/de-xuat/", views.cell_propose, name="propose"),
    path("danh-gia/<int:pk>/chi-bo/<str:code>/quyet-dinh/", views.cell_decide_members, name="decide"),
    path("danh-gia/<int:pk>/chi-bo/<str:code>/tu-xep-loai/", views.cell_self, name="cell_self"),
    path("danh-gia/<int:pk>/chi-bo/<str:code>/quyet-dinh-chi-bo/", views.cell_decide, name="cell_decide"),
    path("danh-gia/<int:pk>/chi-bo/<str:code>/mo-lai/", views.cell_reopen, name="cell_reopen"),
    path("danh-gia/dang-vien/<int:pk>/", views.member_rating, name="member_rating"),
    path("danh-gia/dang-vien/<int:pk>/dau-hieu/", views.member_triggers, name="member_triggers"),
    path("danh-gia/dang-vien/<int:pk>/mo-lai/", views.member_reopen, name="member_reopen"),
    # Data in and out (data_views): the results as XLSX, a cell's proposals and past years' ratings from XLSX.
    path("danh-gia/<int:pk>/ket-qua.xlsx", data_views.campaign_export, name="export"),
    path("danh-gia/<int:pk>/chi-bo/<str:code>/nhap/", data_views.import_proposals, name="import_proposals"),
    path(
        "danh-gia/<int:pk>/chi-bo/<str:code>/nhap/mau.xlsx",
        data_views.import_proposals_template,
        name="import_proposals_template",
    ),
    path("to-chuc/<str:code>/danh-gia/nhap-ket-qua/", data_views.import_past, name="import_past"),
    path(
        "to-chuc/<str:code>/danh-gia/nhap-ket-qua/mau.xlsx",
        data_views.import_past_template,
        name="import_past_template",
    ),
]
