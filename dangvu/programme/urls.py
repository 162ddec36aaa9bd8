from django.urls import path

from . import data_views, plan_views, regulation_views, views

app_name = "programme"

urlpatterns = [
    # The inspection and supervision programme, its items and remedial actions (views).
    path("to-chuc/<str:code>/kiem-tra/", views.programme, name="programme"),
    path("to-chuc/<str:code>/kiem-tra/mo/", views.programme_open, name="programme_open"),
    path("to-chuc/<str:code>/kiem-tra/them/", views.item_create, name="item_create"),
    path("to-chuc/<str:code>/khac-phuc/", views.actions, name="actions"),
    path("kiem-tra/<int:pk>/", views.item_detail, name="item"),
    path("kiem-tra/<int:pk>/sua/", views.item_edit, name="item_edit"),
    path("kiem-tra/<int:pk>/chuyen/", views.item_move, name="item_move"),
    path("kiem-tra/<int:pk>/ket-luan/", views.item_conclude, name="item_conclude"),
    path("khac-phuc/<int:pk>/", views.action_done, name="action_done"),
    # Action plans, their tasks and the cells' notes (plan_views).
    path("to-chuc/<str:code>/ke-hoach/", plan_views.plan_list, name="plans"),
    path("to-chuc/<str:code>/ke-hoach/tao/", plan_views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/nhiem-vu/them/", plan_views.task_create, name="task_create"),
    path("nhiem-vu/<int:pk>/sua/", plan_views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:pk>/hoan-thanh/", plan_views.task_done, name="task_done"),
    path("nhiem-vu/<int:pk>/bo/", plan_views.task_drop, name="task_drop"),
    path("nhiem-vu/<int:pk>/bao-cao/", plan_views.note_create, name="note_create"),
    path("y-kien/<int:pk>/tra-loi/", plan_views.note_answer, name="note_answer"),
    # The register of the cells' regulation reviews (regulation_views).
    path("to-chuc/<str:code>/quy-che/", regulation_views.register, name="regulations"),
    path("to-chuc/<str:code>/quy-che/ghi/", regulation_views.review_create, name="regulation_create"),
    path("quy-che/<int:pk>/xoa/", regulation_views.review_delete, name="regulation_delete"),
    # Data in and out (data_views).
    path("to-chuc/<str:code>/kiem-tra.xlsx", data_views.programme_export, name="programme_export"),
    path("to-chuc/<str:code>/kiem-tra/nhap/", data_views.programme_import, name="programme_import"),
    path(
        "to-chuc/<str:code>/kiem-tra/nhap/mau.xlsx",
        data_views.programme_import_template,
        name="programme_import_template",
    ),
    path("to-chuc/<str:code>/ke-hoach.xlsx", data_views.plans_export, name="plans_export"),
    path("to-chuc/<str:code>/quy-che.xlsx", data_views.regulations_export, name="regulations_export"),
]
