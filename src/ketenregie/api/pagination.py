from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage, Paginator
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class PagePagination(PageNumberPagination):
    """Page-number pagination; a view with ``load_page_rows`` is paged by primary key first.

    See ``core/paging.py``: only the rows of the requested page get their joins and subqueries.
    """

    page_size = 25
    page_size_query_param = "pageSize"
    max_page_size = 100

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        load = getattr(view, "load_page_rows", None)
        if load is None:
            return super().paginate_queryset(queryset, request, view)
        page_size = self.get_page_size(request) or self.page_size
        paginator = Paginator(queryset.values_list("pk", flat=True), page_size)
        try:
            self.page = paginator.page(request.query_params.get(self.page_query_param) or 1)
        except InvalidPage as error:
            raise NotFound(f"Pagina bestaat niet: {error}") from None
        self.request = request
        keys = list(self.page.object_list)
        rows = {row.pk: row for row in load(queryset.model._default_manager.filter(pk__in=keys))}
        self.page.object_list = [rows[key] for key in keys if key in rows]
        return list(self.page.object_list)
