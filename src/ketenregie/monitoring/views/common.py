from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone


def requested_year(request: HttpRequest) -> int:
    """The year asked for in ?year=, or the last full year."""
    default = timezone.localdate().year - 1
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= timezone.localdate().year else default
