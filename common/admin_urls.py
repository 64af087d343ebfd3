"""Admin addresses of any model instance, built in one place."""

from django.urls import reverse


def admin_url(obj_or_model, view: str = "change", *args) -> str:
    """The admin URL of ``view`` ("change", "changelist", "workflow"...) for a model or instance.

    For an instance and a per-object view the instance's primary key is the argument."""
    opts = obj_or_model._meta
    if not args and view not in {"changelist", "add"} and getattr(obj_or_model, "pk", None) is not None:
        args = (obj_or_model.pk,)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
