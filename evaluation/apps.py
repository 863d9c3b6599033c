from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Model management"

    def ready(self) -> None:
        from energy import local_copies
        from evaluation.models import AIModel, Provider, RoutingPolicy, Slot

        local_copies.connect("routing", Slot, RoutingPolicy, AIModel, Provider)
