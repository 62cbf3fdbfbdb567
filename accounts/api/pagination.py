from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """?page=N (from 1) and ?page_size=M (default 50, at most 500).

    A page or page size that is not a positive whole number is a 400 naming
    it (DRF would quietly fall back to the defaults); a page past the end is
    a 404.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def _positive(self, request, name: str) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not (raw.isascii() and raw.isdigit() and int(raw) > 0):
            raise ValidationError({name: [_("A whole number from 1.")]})
        return int(raw)

    def get_page_number(self, request, paginator):
        return self._positive(request, self.page_query_param) or 1

    def get_page_size(self, request):
        size = self._positive(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)
