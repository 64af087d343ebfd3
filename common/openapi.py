"""OpenAPI schema post-processing: what holds for every operation of the API, said once."""

from common.text import NO_CONTROL_CHARACTERS_PATTERN


def _string_schemas(schema):
    """The string schemas of a parameter: itself, or the items of an array."""
    if schema.get("type") == "string":
        yield schema
    elif schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        yield from _string_schemas(schema["items"])


def parameters_without_control_characters(result, generator, request, public):
    """Every string parameter (query or path) is declared free of control characters: the site
    refuses them up front (``config.middleware``) with 400, or 404 in a path."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                for schema in _string_schemas(parameter.get("schema", {})):
                    schema.setdefault("pattern", NO_CONTROL_CHARACTERS_PATTERN)
    return result
