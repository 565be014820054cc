"""Build the POST data of a Django admin change form, inlines included, from its GET; and read
the errors a response shows next to a field."""

import json
from html.parser import HTMLParser

from django import forms

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def change_form_data(response) -> dict:
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(field, forms.ModelMultipleChoiceField):  # many-to-many: a list of ids
            value = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, list | dict):
            value = json.dumps(value)
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = formset.total_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for i, f in enumerate(formset.forms):
            for name in f.fields:
                value = f.initial.get(name)
                if value is None or name == "DELETE":
                    continue
                data[f"{prefix}-{i}-{name}"] = value.pk if hasattr(value, "pk") else value
            data[f"{prefix}-{i}-id"] = f.instance.pk or ""
            data[f"{prefix}-{i}-{formset.fk.name}"] = formset.instance.pk
    return {k: v for k, v in data.items() if v is not False}


def inline_prefix(response, model_name: str) -> str:
    """The form prefix of the change page's inline for `model_name` (e.g. "actionitem")."""
    return next(
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model._meta.model_name == model_name
    )


def add_inline_row(data: dict, prefix: str, **values) -> int:
    """Add one new row to an inline's POST data; returns its index."""
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = n + 1
    data.update({f"{prefix}-{n}-{name}": value for name, value in values.items()})
    return n


class _ErrorFinder(HTMLParser):
    """Collects the text of `ul.errorlist` items inside elements with class `field-<name>`,
    optionally only inside the element with id `within` (an inline row such as "phases-1")."""

    def __init__(self, field: str, within: str | None):
        super().__init__()
        self.field_class, self.within = f"field-{field}", within
        self.stack: list[tuple[bool, bool, bool]] = []  # (in scope, in field, in errorlist)
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        scope, field, errorlist = self.stack[-1] if self.stack else (self.within is None, 0, 0)
        scope = scope or attrs.get("id") == self.within
        field = field or (scope and self.field_class in classes)
        errorlist = errorlist or (field and "errorlist" in classes)
        if errorlist and tag == "li":
            self.errors.append("")
        if tag not in VOID:
            self.stack.append((scope, field, errorlist))

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1][2] and self.errors:
            self.errors[-1] += data


def errors_next_to(response, field: str, within: str | None = None) -> str:
    """The error messages a page shows next to `field` (in inline row `within`), as one text."""
    finder = _ErrorFinder(field, within)
    finder.feed(response.content.decode())
    return " ".join(" ".join(e.split()) for e in finder.errors)
