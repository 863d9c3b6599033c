"""The rating pages' inputs. Each form only validates; the rating itself is an
evaluation.ratings.actions call. The keyboard shortcuts (templates/evaluation/ratings/_shortcuts.html)
find their keys in `data-keys` (one key per point of a scale) and `data-shortcut` (one element)."""

from django import forms

from evaluation.models import PairwiseComparison, QualityRating

SCALE = [(score, str(score)) for score in range(1, 6)]
SCALE_KEYS = {"why_sensible": "12345", "values_reasonable": "qwert", "overall": "asdfg"}
FLAG_KEYS = {"hallucinated_number": "h", "wrong_plan": "p", "ignored_preference": "i"}


def scale_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(choices=SCALE, coerce=int, widget=forms.RadioSelect, label=label)


def flag_field(name: str, label: str) -> forms.BooleanField:
    return forms.BooleanField(required=False, label=label, widget=forms.CheckboxInput(attrs={"data-shortcut": FLAG_KEYS[name]}))


class RubricForm(forms.Form):
    why_sensible = scale_field("The why is sensible")
    values_reasonable = scale_field("The values are reasonable")
    overall = scale_field("Overall")
    hallucinated_number = flag_field("hallucinated_number", "Hallucinated number")
    wrong_plan = flag_field("wrong_plan", "Wrong plan")
    ignored_preference = flag_field("ignored_preference", "Ignored preference")
    comment = forms.CharField(required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "placeholder": "Optional"}))

    @classmethod
    def editing(cls, rating: QualityRating) -> "RubricForm":
        return cls(initial={name: getattr(rating, name) for name in cls.base_fields})

    def scales(self) -> list[tuple[forms.BoundField, str]]:
        """Each 1–5 scale with the keys that pick 1 to 5 on it."""
        return [(self[name], keys) for name, keys in SCALE_KEYS.items()]

    def flags(self) -> list[tuple[forms.BoundField, str]]:
        return [(self[name], key) for name, key in FLAG_KEYS.items()]


class PairForm(forms.Form):
    pair = forms.CharField(widget=forms.HiddenInput, max_length=1000)  # the served pair's token (evaluation.ratings.pairs)
    choice = forms.ChoiceField(choices=PairwiseComparison.Choice.choices)
