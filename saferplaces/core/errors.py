"""Plain error pages that keep the site's look and never show a traceback."""

from django.shortcuts import render


def forbidden(request, exception=None):
    return render(request, "core/error.html", {
        "title": "Not allowed",
        "message": "Your role in this partnership does not allow this. Ask your partnership "
                   "administrator if you think it should.",
    }, status=403)


def not_found(request, exception=None):
    return render(request, "core/error.html", {
        "title": "Page not found",
        "message": "There is no such page, or it belongs to a partnership you are not a member of.",
    }, status=404)


def server_error(request):
    return render(request, "core/error.html", {
        "title": "Something went wrong",
        "message": "The error has been logged. Nothing you entered was saved half-way; "
                   "please try again.",
    }, status=500)
