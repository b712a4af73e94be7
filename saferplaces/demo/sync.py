"""Saving demo rows only when they differ, so that re-running the demo adds nothing to the
audit trail."""


def sync(model, defaults: dict, **lookup):
    """update_or_create that saves only when something differs, so re-running the demo adds
    nothing to the audit trail."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults)
    changed = [k for k, v in defaults.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, defaults[key])
        obj.save()
    return obj
