"""The types of the person behind a request: a signed-in User or Django's anonymous user."""

from django.contrib.auth.models import AnonymousUser

from .models import User

AnyUser = User | AnonymousUser
