"""The one way endpoints change: create, update, delete (staff with the webhooks permissions).

Each checks the URL against the address guard (a clear error naming the field), makes a secret
when none is given, and writes an entry to the audit trail (articles.audit, with no story:
"webhook_create", "webhook_update", "webhook_delete"; the secret is never in it, only whether
it changed).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from articles import audit
from webhooks import signing
from webhooks.addresses import RefusedAddress, check_url
from webhooks.models import Endpoint, EventType

FIELDS = ("url", "description", "secret", "events", "active")


def _require(actor, codename: str) -> None:
    if actor is not None and not (getattr(actor, "is_staff", False) and actor.has_perm(f"webhooks.{codename}")):
        raise PermissionDenied("You may not manage webhooks.")


def checked_events(events) -> list[str]:
    """The subscribed events, each known and named once; ValidationError({"events": …}) otherwise."""
    if not isinstance(events, list | tuple) or not events:
        raise ValidationError({"events": f"Choose at least one event: {', '.join(EventType.values)}."})
    unknown = [str(name) for name in events if name not in EventType.values]
    if unknown:
        raise ValidationError(
            {"events": f"Unknown event {', '.join(unknown)}; the events are {', '.join(EventType.values)}."}
        )
    return list(dict.fromkeys(events))


def _check(endpoint: Endpoint) -> None:
    errors = {}
    try:
        check_url(endpoint.url)
    except RefusedAddress as exc:
        errors["url"] = str(exc)
    if not endpoint.secret:
        endpoint.secret = signing.new_secret()
    else:
        try:
            signing.key_of(endpoint.secret)
        except ValueError as exc:
            errors["secret"] = str(exc)
    try:
        endpoint.events = checked_events(endpoint.events)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def create_endpoint(*, actor: AbstractBaseUser | None, **values) -> Endpoint:
    """A new endpoint from `values` (url, events, and optionally description, secret, active)."""
    _require(actor, "add_endpoint")
    endpoint = Endpoint(**{name: values[name] for name in FIELDS if name in values})
    endpoint.created_by = actor if getattr(actor, "pk", None) else None
    _check(endpoint)
    with transaction.atomic():
        endpoint.save()
        audit.record(
            actor=actor,
            action="webhook_create",
            object_repr=endpoint.url,
            details={"webhook_id": endpoint.pk, "events": endpoint.events, "active": endpoint.active},
        )
    return endpoint


def update_endpoint(*, actor: AbstractBaseUser | None, endpoint: Endpoint, **values) -> Endpoint:
    """Change the fields given in `values`; an empty `secret` makes a new one."""
    _require(actor, "change_endpoint")
    with transaction.atomic():
        stored = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        for name in FIELDS:
            if name in values:
                setattr(endpoint, name, values[name])
        _check(endpoint)
        changed = [name for name in FIELDS if getattr(stored, name) != getattr(endpoint, name)]
        if not changed:
            return endpoint
        endpoint.save(update_fields=[*changed, "updated_at"])
        details = {"webhook_id": endpoint.pk, "fields": changed}
        details.update({name: getattr(endpoint, name) for name in ("url", "events", "active") if name in changed})
        audit.record(actor=actor, action="webhook_update", object_repr=endpoint.url, details=details)
    return endpoint


def delete_endpoint(*, actor: AbstractBaseUser | None, endpoint: Endpoint) -> None:
    """Delete the endpoint and its delivery log."""
    _require(actor, "delete_endpoint")
    with transaction.atomic():
        audit.record(
            actor=actor, action="webhook_delete", object_repr=endpoint.url, details={"webhook_id": endpoint.pk}
        )
        endpoint.delete()
