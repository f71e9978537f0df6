"""Authentication backend: Django's, loading the user's agency in the same query.

Every page names the signed-in person's agency, so the agency comes with the user instead of costing a
second query on every request.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import User


class AgencyModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("agency").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
