"""Checking uploaded attachments: the content decides the type, never the name or the browser's claim.

Photos (JPEG, PNG, WebP) and PDF documents are accepted up to ``ATTACHMENT_MAX_BYTES``. A photo must
also open as an image, so a renamed executable with a JPEG header is still refused. Files are stored
under a random name; the original name is kept (cleaned) for display only.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Content type -> (file extension, signatures at the start of the file).
SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "image/jpeg": ("jpg", (b"\xff\xd8\xff",)),
    "image/png": ("png", (b"\x89PNG\r\n\x1a\n",)),
    "image/webp": ("webp", (b"RIFF",)),
    "application/pdf": ("pdf", (b"%PDF-",)),
}
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class CheckedUpload:
    content: ContentFile
    original_name: str
    content_type: str
    size: int
    sha256: str

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


def max_attachment_bytes() -> int:
    limit: int = getattr(settings, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
    return limit


def _sniff(head: bytes) -> str | None:
    for content_type, (_extension, signatures) in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            if content_type == "image/webp" and head[8:12] != b"WEBP":
                continue
            return content_type
    return None


def clean_name(name: str) -> str:
    """The file's own name without any directory, control characters or excessive length."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return base[-MAX_NAME_LENGTH:] or "bestand"


def check_upload(upload: Any) -> CheckedUpload:
    """Read and check one uploaded file; raise a ValidationError that says what is wrong with it."""
    name = clean_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    limit = max_attachment_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)},
            code="too_large",
        )
    data = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s” is larger than the limit of %(limit)s.")
            % {"name": name, "limit": _megabytes(limit)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    content_type = _sniff(data[:16])
    if content_type is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a photo (JPEG, PNG, WebP) or a PDF document. The file's content was "
                "checked, not its name."
            )
            % {"name": name},
            code="wrong_type",
        )
    if content_type in IMAGE_TYPES and not _opens_as_image(data):
        raise ValidationError(
            _("“%(name)s” looks like a photo but cannot be opened as one; it may be damaged.")
            % {"name": name},
            code="damaged",
        )
    if content_type == "application/pdf" and b"%%EOF" not in data[-2048:]:
        raise ValidationError(
            _("“%(name)s” looks like a PDF but is incomplete or damaged.") % {"name": name}, code="damaged"
        )
    extension = SIGNATURES[content_type][0]
    stored = ContentFile(data, name=f"{secrets.token_hex(16)}.{extension}")
    return CheckedUpload(
        content=stored,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def check_uploads(uploads: list[Any], *, max_files: int = 10) -> list[CheckedUpload]:
    """Check every file; report the problems of all of them at once."""
    if len(uploads) > max_files:
        raise ValidationError(
            _("At most %(count)d files can be attached at once.") % {"count": max_files}, code="too_many"
        )
    checked: list[CheckedUpload] = []
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return checked


def _opens_as_image(data: bytes) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def _megabytes(size: int) -> str:
    return str(filesizeformat(size))
