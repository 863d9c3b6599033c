"""What every evaluation page and API router shares: rendering inside the admin's frame, the
permission guard, a form's errors as one sentence, and the user an API key acts for."""

from collections.abc import Callable
from functools import wraps

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

View = Callable[..., HttpResponse]


def page(request: HttpRequest, template: str, title: str, *, sidebar: bool = True, **context) -> TemplateResponse:
    return TemplateResponse(request, template, {**admin.site.each_context(request), "title": title,
                                                **({} if sidebar else {"is_nav_sidebar_enabled": False}), **context})


def needs(permission: str, *, to: str) -> Callable[[View], View]:
    """403 before any input is read unless the user has `permission`; `to` names what it allows."""

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied(f"{to} needs the {permission} permission")
            return view(request, *args, **kwargs)

        return checked

    return decorator


def form_problems(form) -> str:
    """A bound form's errors as one sentence that names each field."""
    return "; ".join(" ".join(errors) if name == "__all__" else f"{name}: {' '.join(errors)}"
                     for name, errors in form.errors.items())


def acting_user(request: HttpRequest, *, to: str) -> AbstractBaseUser:
    """The user an API key acts for; a key without one may only read."""
    user = request.auth.user
    if user is None:
        raise PermissionDenied(f"API key {request.auth.prefix}… does not act for a user, so it may not {to}")
    return user
