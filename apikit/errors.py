"""JSON error answers: DRF's exception handler with a one-line `detail` on every 400, Django's
error handlers answering JSON under /api/, and the schema of an error body."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.module_loading import import_string
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

API_PATH_PREFIX = "/api/"


def _first_messages(errors, prefix=""):
    """(field, first message) pairs from a DRF error structure, nested names joined by dots."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _first_messages(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(errors, list) and errors:
        if all(isinstance(e, str) for e in errors):
            yield prefix, str(errors[0])
        else:
            for index, value in enumerate(errors):
                yield from _first_messages(value, f"{prefix}[{index}]")
    elif isinstance(errors, str):
        yield prefix, errors


def _one_line(errors) -> str:
    """ "Invalid input." and every field at fault with its first message, on one line."""
    summary = "; ".join(
        f"{name}: {message}" if name and name != "non_field_errors" else message
        for name, message in _first_messages(errors)
    )
    return f"Invalid input. {summary}" if summary else "Invalid input."


def exception_handler(exc, context):
    """DRF's handler, plus: Django ValidationErrors become 400s, and every 400 has a `detail`.

    A 400 keeps its field errors (`{"field": ["message"]}`) beside a one-line `detail` naming
    every field at fault, so a client can show either.
    """
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None or response.status_code != 400:
        return response
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        return response
    body = {"detail": _one_line(data)}
    if isinstance(data, dict):
        body.update(data)
    response.data = body
    return response


ERROR_DETAILS = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "No API endpoint or object at this URL.",
    500: "Server error. The request was not completed; try again later.",
}


def api_or_site_handler(status: int, site_handler: str):
    """A Django error handler (handler400/403/404/500) answering JSON `{"detail"}` under /api/
    and the site's own page (`site_handler`, a dotted path) everywhere else.

    DRF already answers its own errors in JSON; these are the errors Django raises around it
    (an unreadable request, a crash), so that a program calling the API never has to parse HTML.
    """

    def handler(request, exception=None):
        if request.path_info.startswith(API_PATH_PREFIX):
            return JsonResponse({"detail": ERROR_DETAILS[status]}, status=status)
        site = import_string(site_handler)
        return site(request) if status == 500 else site(request, exception)

    handler.__doc__ = f"{status} answer: JSON under {API_PATH_PREFIX}, else {site_handler}."
    return handler


class ErrorSerializer(serializers.Serializer):
    """Schema of an error body: `detail`, and for 400s the failing fields with their messages."""

    detail = serializers.CharField()
