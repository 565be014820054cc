"""Build the POST data of a Django admin change form, inlines included, from its GET."""


def change_form_data(response) -> dict:
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
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
