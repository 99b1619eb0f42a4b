"""A form field for several attachments at once, checked by content (see core.uploads)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ketenregie.core.uploads import SIGNATURES, CheckedUpload, check_uploads, max_attachment_bytes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Zero or more photos or PDFs; cleans to a list of CheckedUpload."""

    def __init__(self, *args: Any, max_files: int = 5, **kwargs: Any) -> None:
        self.max_files = max_files
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(SIGNATURES), "multiple": True})
        )
        kwargs.setdefault(
            "help_text",
            format_lazy(
                _("Photos (JPEG, PNG, WebP) or PDF, at most {count} files of {size} MB each."),
                count=max_files,
                size=max_attachment_bytes() // (1024 * 1024),
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedUpload]:
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return check_uploads(files, max_files=self.max_files)
