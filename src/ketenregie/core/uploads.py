"""Checking uploaded attachments: the content decides the type, never the name or the browser's claim.

Photos (JPEG, PNG, WebP) and PDF documents are accepted up to ``ATTACHMENT_MAX_BYTES``. What is stored
is made harmless first, because attachments travel on to partners in hand-over dossiers:

- a photo is decoded and encoded anew. Whatever was hidden after or inside it (an HTML page appended to a
  JPEG, a script in a metadata field) does not survive, and neither does its metadata: the GPS position
  in a reporter's photo is not ours to pass on. Its declared size in pixels is checked before it is
  decoded, so a small file that unpacks into gigabytes is refused instead of exhausting memory.
- a PDF is parsed and refused when it carries active content (JavaScript, launch actions, embedded
  files, rich media or XFA forms). It cannot be rewritten without it as reliably as a photo can.

Files are stored under a random name; the original name is kept (cleaned) for display only.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import warnings
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
# Larger than any phone camera's photo; decoded as RGBA it is 160 MB, which one request may spend.
MAX_IMAGE_PIXELS = 40_000_000
JPEG_QUALITY = 90
# Dictionary keys and action types that make a PDF do something when opened, clicked or filled in.
PDF_ACTIVE_KEYS = frozenset(
    {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)
PDF_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/GoToE", "/RichMediaExecute"})
PDF_ACTIVE_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia"})
# Cheap first look in the raw bytes; names written with #xx escapes are found by the parse below.
PDF_ACTIVE_BYTES = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
# A PDF of ATTACHMENT_MAX_BYTES has far fewer objects; more means a file built to keep the walk busy.
PDF_MAX_OBJECTS = 200_000


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
    if content_type in IMAGE_TYPES:
        data = sanitize_image(data, content_type=content_type, name=name)
    else:
        check_pdf(data, name=name)
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


def sanitized(data: bytes, *, content_type: str, name: str = "") -> bytes:
    """A stored file made harmless once more, for files kept from before uploads were made harmless.

    Raises a ValidationError when it cannot be: a PDF with active content, a damaged or huge photo.
    """
    if content_type in IMAGE_TYPES:
        return sanitize_image(data, content_type=content_type, name=name)
    check_pdf(data, name=name)
    return data


def sanitize_image(data: bytes, *, content_type: str, name: str = "") -> bytes:
    """The photo decoded and encoded anew as the same type, upright and without any metadata.

    Raises a ValidationError for a photo that does not open or is too large in pixels.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    damaged = ValidationError(
        _("“%(name)s” looks like a photo but cannot be opened as one; it may be damaged.") % {"name": name},
        code="damaged",
    )
    try:
        # Pillow's own guard against decompression bombs is a warning below twice its limit: an error here.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                # Opening reads the header only: refuse a huge image before its pixels are unpacked.
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(name, width, height)
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                # Only the transparency is kept: encoders fall back to what is here (ICC profile, EXIF).
                transparency = upright.info.get("transparency")
                upright.info = {} if transparency is None else {"transparency": transparency}
                return _encode(upright, content_type)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name, 0, 0) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise damaged from None


def _encode(image: Any, content_type: str) -> bytes:
    output = io.BytesIO()
    # No exif=, icc_profile= or pnginfo= arguments: the new file carries pixels only.
    if content_type == "image/jpeg":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    elif content_type == "image/png":
        image.save(output, format="PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            transparent = "A" in image.getbands() or "transparency" in image.info
            image = image.convert("RGBA" if transparent else "RGB")
        image.save(output, format="WEBP", quality=JPEG_QUALITY)
    return output.getvalue()


def _too_many_pixels(name: str, width: int, height: int) -> ValidationError:
    limit = MAX_IMAGE_PIXELS // 1_000_000
    if width and height:
        return ValidationError(
            _(
                "“%(name)s” measures %(width)d × %(height)d pixels; photos of at most %(limit)d megapixels "
                "are accepted."
            )
            % {"name": name, "width": width, "height": height, "limit": limit},
            code="too_many_pixels",
        )
    return ValidationError(
        _("“%(name)s” has too many pixels; photos of at most %(limit)d megapixels are accepted.")
        % {"name": name, "limit": limit},
        code="too_many_pixels",
    )


def check_pdf(data: bytes, *, name: str = "") -> None:
    """Refuse a PDF that is damaged or carries active content; a clean one passes unchanged."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    damaged = ValidationError(
        _("“%(name)s” looks like a PDF but is incomplete or damaged.") % {"name": name}, code="damaged"
    )
    if b"%%EOF" not in data[-2048:]:
        raise damaged
    if any(marker in data for marker in PDF_ACTIVE_BYTES):
        raise _active_pdf(name)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("“%(name)s” is protected with a password, so it cannot be checked. Send it without one.")
                % {"name": name},
                code="encrypted",
            )
        active = _has_active_content(reader.trailer)
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise damaged from None
    if active:
        raise _active_pdf(name)


def _has_active_content(root: Any) -> bool:
    """Walk every object reachable from the trailer (pypdf has decoded #xx escapes in the names)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > PDF_MAX_OBJECTS:
                raise ValueError("too many objects")
            pending.append(item.get_object())
        elif isinstance(item, DictionaryObject):
            # A stream is a dictionary too: its keys are checked, its (compressed) content is not needed.
            if PDF_ACTIVE_KEYS.intersection(item.keys()):
                return True
            if str(item.get("/S", "")) in PDF_ACTIVE_ACTIONS:
                return True
            if str(item.get("/Subtype", "")) in PDF_ACTIVE_SUBTYPES:
                return True
            if "/EF" in item:  # a file specification with the file itself inside
                return True
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def _active_pdf(name: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(name)s”: this PDF file contains JavaScript, an action that starts a program or an embedded "
            "file, and is not accepted. Print it to a new PDF or send a scan instead."
        )
        % {"name": name},
        code="active_content",
    )


def _megabytes(size: int) -> str:
    return str(filesizeformat(size))
