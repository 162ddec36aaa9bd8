"""Loads the base salaries by decree (rules.md §2.6) and the national coefficients of HD
56-HD/VPTW (rules.md §2.5); none for 45, 85 and 90 years, whose amounts are local. The values are
those of badges.rules at the time of this migration, copied here so that it never changes."""

from datetime import date
from decimal import Decimal

from django.db import migrations

BASE_SALARIES = [
    (date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP"),
    (date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP"),
    (date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP"),
]
COEFFICIENTS = {30: "1.5", 40: "2", 50: "3", 55: "3.5", 60: "5", 65: "6", 70: "8", 75: "10", 80: "15"}
SOURCE = "Hướng dẫn 56-HD/VPTW ngày 27/10/2015, mục IV.2"


def load(apps, schema_editor):
    BaseSalary = apps.get_model("badges", "BaseSalary")
    Coefficient = apps.get_model("badges", "Coefficient")
    if not BaseSalary.objects.exists():
        BaseSalary.objects.bulk_create(
            BaseSalary(starts_on=day, amount=amount, decree=decree) for day, amount, decree in BASE_SALARIES
        )
    if not Coefficient.objects.filter(organization__isnull=True).exists():
        Coefficient.objects.bulk_create(
            Coefficient(years=years, starts_on=date(2015, 10, 27), value=Decimal(value), source=SOURCE)
            for years, value in COEFFICIENTS.items()
        )


class Migration(migrations.Migration):
    dependencies = [("badges", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
