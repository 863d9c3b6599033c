"""Councils: catalog entries that serve a stage with several models (energy.pipeline.council).

A council is an AIModel of a `council` provider, so that a slot, a tier, a routing rule, a
canary and a benchmark route point at it by its key exactly as they point at a model; this
table holds what makes it a council: its members, its chairman, and the rules it degrades by.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .catalog import AIModel

MIN_MEMBERS, MAX_MEMBERS = 2, 6


class Council(models.Model):
    model = models.OneToOneField(AIModel, on_delete=models.CASCADE, related_name="council",
                                 help_text="The catalog entry slots and routes point at")
    members = models.ManyToManyField(AIModel, related_name="council_seats",
                                     help_text=f"{MIN_MEMBERS}–{MAX_MEMBERS} models that answer in parallel")
    chairman = models.ForeignKey(AIModel, on_delete=models.PROTECT, related_name="chaired_councils",
                                 help_text="Synthesizes the answer from the members' answers and their rankings; "
                                           "the rules engine as chairman serves the best-ranked answer")
    min_answers = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(MAX_MEMBERS)],
        help_text="Fewer valid answers than this and the stage falls back along its chain")
    ranking_share = models.FloatField(
        default=0.67, validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
        help_text="Synthesis starts once this share of the peer rankings has arrived (or at the ranking timeout)")
    answers_timeout_s = models.FloatField(default=20.0, validators=[MinValueValidator(0.05), MaxValueValidator(600)])
    ranking_timeout_s = models.FloatField(default=10.0, validators=[MinValueValidator(0.05), MaxValueValidator(600)])
    synthesis_timeout_s = models.FloatField(default=20.0, validators=[MinValueValidator(0.05), MaxValueValidator(600)])

    class Meta:
        ordering = ["model__key"]

    def __str__(self) -> str:
        return f"council {self.model.key}"

    def check_composition(self, members: list[AIModel]) -> None:
        """The rules a council's members and chairman follow (admin form and seeding alike):
        2–6 members, none of them a council, no more answers needed than members."""
        errors = {}
        if not MIN_MEMBERS <= len(members) <= MAX_MEMBERS:
            errors["members"] = f"a council has {MIN_MEMBERS} to {MAX_MEMBERS} members, not {len(members)}"
        elif any(is_council(m) for m in members):
            errors["members"] = "a member cannot be a council"
        if self.chairman_id and is_council(self.chairman):
            errors["chairman"] = "the chairman cannot be a council"
        if "members" not in errors and self.min_answers > len(members):
            errors["min_answers"] = f"needs {self.min_answers} answers from {len(members)} members"
        if errors:
            raise ValidationError(errors)


def is_council(model: AIModel) -> bool:
    return model.provider.kind == "council"
