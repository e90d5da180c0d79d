"""WTForms for the web app: they check shape; rules across rows live in the services."""

from __future__ import annotations

from flask_wtf import FlaskForm


def why_refused(form: FlaskForm, name: str, reload_hint: str) -> str:
    """Why the posted form `name` ("The review form") failed validation, for a 400 page:
    an expired or missing CSRF token asks for `reload_hint`; otherwise each field at fault
    is named by its label with its errors."""
    errors = form.errors
    if "csrf_token" in errors:
        return f"{name} has expired: {reload_hint}"
    problems = []
    for field_name, messages in errors.items():
        field = form._fields.get(field_name) if field_name else None
        label = field.label.text if field is not None and field.label.text else field_name
        text = " ".join(str(message) for message in messages)
        named = not label or text.startswith(f"{label}:")  # a choice field names itself
        problems.append(text if named else f"{label}: {text}")
    if not problems:
        return f"{name} is incomplete: {reload_hint}"
    return f"{name} was refused. {'; '.join(problems)}"
