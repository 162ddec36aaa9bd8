from django.urls import path

from . import views

app_name = "badges"

urlpatterns = [
    # Next year's badge budget of an organisation's subtree, on a page and as XLSX.
    path("to-chuc/<str:code>/huy-hieu/du-toan/", views.budget, name="budget"),
    path("to-chuc/<str:code>/huy-hieu/du-toan.xlsx", views.budget_export, name="budget_export"),
    # The members a batch may propose.
    path("to-chuc/<str:code>/huy-hieu/dot/", views.batch, name="batch"),
]
