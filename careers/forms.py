from django import forms

from careers.models import Transition


class TransitionFilterForm(forms.Form):
    """Filters for the transitions list. Unknown values are reported, never a 500."""

    background = forms.ChoiceField(required=False, label="Your background")
    difficulty = forms.ChoiceField(
        required=False,
        label="Difficulty",
        choices=[("", "Any difficulty"), *Transition.Difficulty.choices],
    )

    def __init__(self, *args, backgrounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["background"].choices = [("", "Any background")] + [
            (role.slug, role.name) for role in backgrounds
        ]

    def filter(self, transitions):
        if not self.is_valid():
            return transitions
        if background := self.cleaned_data["background"]:
            transitions = transitions.filter(from_role__slug=background)
        if difficulty := self.cleaned_data["difficulty"]:
            transitions = transitions.filter(difficulty=difficulty)
        return transitions
