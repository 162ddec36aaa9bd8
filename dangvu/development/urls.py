from django.urls import path

from . import data_views, views

app_name = "development"

urlpatterns = [
    # The candidates of a cell or of the cells under an organisation, and each one's way (views).
    path("to-chuc/<str:code>/phat-trien/", views.candidate_list, name="candidates"),
    path("to-chuc/<str:code>/phat-trien/them/", views.candidate_create, name="candidate_create"),
    path("to-chuc/<str:code>/phat-trien/cai-dat/", views.settings_edit, name="settings"),
    path("quan-chung/<int:pk>/", views.candidate_detail, name="candidate"),
    path("quan-chung/<int:pk>/sua/", views.candidate_edit, name="candidate_edit"),
    path("quan-chung/<int:pk>/buoc/", views.step_create, name="step_create"),
    path("quan-chung/<int:pk>/buoc/hoan-tac/", views.step_undo, name="step_undo"),
    path("quan-chung/<int:pk>/giay-to/", views.paper_record, name="paper_record"),
    # Data in and out (data_views).
    path("to-chuc/<str:code>/phat-trien.xlsx", data_views.pipeline_export, name="pipeline_export"),
    path("to-chuc/<str:code>/phat-trien/nhap/", data_views.candidates_import, name="candidates_import"),
    path(
        "to-chuc/<str:code>/phat-trien/nhap/mau.xlsx",
        data_views.candidates_import_template,
        name="candidates_import_template",
    ),
]
