from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class StaffFormRenderer(TemplatesSetting):
    """Renders every form field as an NL Design System form field with its errors and help text."""

    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"
