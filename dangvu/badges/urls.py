from django.urls import path

from . import commendation_views, proposal_views, register_views, table_views, views

app_name = "badges"

urlpatterns = [
    # Next year's badge budget of an organisation's subtree, on a page and as XLSX (views).
    path("to-chuc/<str:code>/huy-hieu/du-toan/", views.budget, name="budget"),
    path("to-chuc/<str:code>/huy-hieu/du-toan.xlsx", views.budget_export, name="budget_export"),
    # A batch: the members it may propose, the proposals and their dossiers (proposal_views).
    path("to-chuc/<str:code>/huy-hieu/dot/", proposal_views.batch, name="batch"),
    path("to-chuc/<str:code>/huy-hieu/dot.xlsx", proposal_views.batch_export, name="batch_export"),
    path("to-chuc/<str:code>/huy-hieu/dot/de-nghi/", proposal_views.proposal_add, name="proposal_add"),
    path("huy-hieu/de-nghi/<int:pk>/", proposal_views.proposal_edit, name="proposal_edit"),
    path("huy-hieu/de-nghi/<int:pk>/xoa/", proposal_views.proposal_delete, name="proposal_delete"),
    # The badge register (sổ tặng Huy hiệu Đảng), its XLSX and the import of past awards;
    # a member's grave illness (register_views).
    path("to-chuc/<str:code>/huy-hieu/so/", register_views.register, name="register"),
    path("to-chuc/<str:code>/huy-hieu/so.xlsx", register_views.register_export, name="register_export"),
    path("to-chuc/<str:code>/huy-hieu/so/them/", register_views.award_add, name="award_add"),
    path("to-chuc/<str:code>/huy-hieu/so/nhap/", register_views.register_import, name="register_import"),
    path(
        "to-chuc/<str:code>/huy-hieu/so/nhap/mau.xlsx",
        register_views.register_import_template,
        name="register_import_template",
    ),
    path("huy-hieu/trao/<int:pk>/sua/", register_views.award_edit, name="award_edit"),
    path("huy-hieu/trao/<int:pk>/xoa/", register_views.award_delete, name="award_delete"),
    path("huy-hieu/dang-vien/<int:member>/benh-nang/", register_views.illness_add, name="illness_add"),
    # The money tables and the committee's settings (table_views).
    path("to-chuc/<str:code>/huy-hieu/muc-tien/", table_views.tables, name="tables"),
    path(
        "to-chuc/<str:code>/huy-hieu/luong-co-so/them/", table_views.base_salary_add, name="base_salary_add"
    ),
    path("to-chuc/<str:code>/huy-hieu/he-so/", table_views.coefficient_set, name="coefficient_set"),
    path("to-chuc/<str:code>/huy-hieu/cai-dat/", table_views.settings_edit, name="settings"),
    # The commendations register (commendation_views).
    path("to-chuc/<str:code>/khen-thuong/", commendation_views.commendations, name="commendations"),
    path(
        "to-chuc/<str:code>/khen-thuong.xlsx",
        commendation_views.commendations_export,
        name="commendations_export",
    ),
    path(
        "to-chuc/<str:code>/khen-thuong/them/", commendation_views.commendation_add, name="commendation_add"
    ),
    path("khen-thuong/<int:pk>/sua/", commendation_views.commendation_edit, name="commendation_edit"),
    path("khen-thuong/<int:pk>/xoa/", commendation_views.commendation_delete, name="commendation_delete"),
]
