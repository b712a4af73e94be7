"""Template context available on every page."""

from saferplaces import __version__


def site(request):
    return {"saferplaces_version": __version__}
