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


class PathfinderForm(forms.Form):
    """The path finder's answers. Choices come from the catalog; `answers()` gives the scoring
    module its plain dataclass and `as_query()` the query parameters (also what is saved)."""

    background = forms.ChoiceField(required=False, label="Your background")
    skills = forms.MultipleChoiceField(
        required=False, label="Skills you already have", widget=forms.CheckboxSelectMultiple
    )
    enjoy = forms.MultipleChoiceField(
        required=False, label="What you enjoy", widget=forms.CheckboxSelectMultiple
    )
    hours = forms.IntegerField(label="Hours a week", min_value=1, max_value=60, initial=10)
    months = forms.IntegerField(label="Months available", min_value=3, max_value=36, initial=12)
    phd = forms.ChoiceField(
        label="Would you do a PhD?",
        choices=[("yes", "Yes, if the role needs one"), ("no", "No")],
        widget=forms.RadioSelect,
        initial="yes",
    )
    market = forms.ChoiceField(required=False, label="Pay market")

    def __init__(self, *args, backgrounds=(), skills=(), markets=(), **kwargs):
        from careers.pathfinder import INTERESTS

        super().__init__(*args, **kwargs)
        self.fields["background"].choices = [(b.slug, b.name) for b in backgrounds] + [
            ("", "Something else")
        ]
        self.fields["skills"].choices = [(s.slug, s.name) for s in skills]
        self.fields["enjoy"].choices = [(i.value, i.label) for i in INTERESTS]
        self.fields["market"].choices = [("", "Don't show pay")] + [(m, m) for m in markets]
        self.skill_groups = []  # [(area label, [bound checkbox, ...])], for one fieldset each
        if skills:
            boxes = {box.data["value"]: box for box in self["skills"]}
            for skill in skills:
                label = skill.get_area_display()
                if not self.skill_groups or self.skill_groups[-1][0] != label:
                    self.skill_groups.append((label, []))
                self.skill_groups[-1][1].append(boxes[skill.slug])

    def answers(self):
        from careers.pathfinder import Answers

        data = self.cleaned_data
        return Answers(
            background=data["background"],
            skills=frozenset(data["skills"]),
            enjoy=frozenset(data["enjoy"]),
            hours=data["hours"],
            months=data["months"],
            phd_ok=data["phd"] == "yes",
            market=data["market"],
        )

    def as_query(self) -> dict:
        data = self.cleaned_data
        return {
            "background": data["background"],
            "skills": sorted(data["skills"]),
            "enjoy": sorted(data["enjoy"]),
            "hours": data["hours"],
            "months": data["months"],
            "phd": data["phd"],
            "market": data["market"],
        }
