"""Strict writes: a field a write names but cannot set is an error, never ignored."""

from rest_framework.exceptions import ValidationError


class StrictFieldsMixin:
    """Refuses a write naming fields the serializer does not accept, instead of ignoring them.

    `output_fields` lists fields the resource shows but a write cannot set (called read-only).
    """

    output_fields: tuple = ()

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            read_only = {name for name, field in self.fields.items() if field.read_only} | set(self.output_fields)
            errors = {}
            for name in sorted(set(data.keys()) - writable):
                errors[name] = ["This field is read-only." if name in read_only else "Unknown field."]
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)
