from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data: one builder per capability, run by `dangvu load_demo`."""

    name = "dangvu.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
