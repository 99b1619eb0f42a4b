"""Pagination that stays fast deep into a long list.

``OFFSET 25000`` makes the database compute every column of the 25,000 rows it skips, including
per-row subqueries such as 'people registered here'. Paging over primary keys first and then
loading (and annotating) only the rows of the page keeps page 1,000 as cheap as page 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet


def paginate_by_key(
    queryset: QuerySet[Any],
    *,
    page_number: Any,
    per_page: int,
    load: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda rows: rows,
) -> Page:
    """Page through ``queryset`` by primary key; ``load`` adds joins and annotations for the page's rows."""
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    page = paginator.get_page(page_number)
    keys = list(page.object_list)
    model: type[Model] = queryset.model
    rows = {row.pk: row for row in load(model._default_manager.filter(pk__in=keys))}
    page.object_list = [rows[key] for key in keys if key in rows]
    return page
