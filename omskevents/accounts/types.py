"""Type names for the people the code deals with: whoever a request carries, and a signed-in request."""

from typing import TypeAlias, cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from .models import User

# What `request.user` is: a signed-in person or the anonymous visitor. Permission predicates and the
# scoping selectors take this and answer "no" / nothing for the anonymous one.
AnyUser: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind LoginRequiredMixin: its user is signed in.

    Only an annotation (the pattern django-stubs documents): views name it as their `request` type so the
    services, which act for a real person, get a `User`. Nothing creates instances of it.
    """

    user: User


def admin_user(request: HttpRequest) -> User:
    """The person using the admin site, for the admin's hooks (Django types their `request` as any request).

    The admin site lets only signed-in, active staff in (AdminSite.has_permission), so this is a User.
    """
    return cast(User, request.user)
