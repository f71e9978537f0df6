"""Login throttling: django-axes' database handler with a limit per parameter combination.

Axes compares the failures of every combination in AXES_LOCKOUT_PARAMETERS with one limit. Here a username at
one address is locked after AXES_FAILURE_LIMIT failures (so nobody can lock a person out from elsewhere), and an
address alone after AXES_IP_FAILURE_LIMIT failures across all usernames (so one address cannot try a few
passwords on every account). The maintainers' advice for per-combination limits is a handler of one's own
(jazzband/django-axes#661); this one changes only how failures are counted and what a success resets.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

ADDRESS_ONLY = "ip_address"


def _failures(attempts: Any) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The failures that count for this request, measured against AXES_FAILURE_LIMIT: those of the username
        at this address, or the limit itself once the address has used up its own budget."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        counted, locked = 0, False
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = _failures(attempts)
            if parameter == ADDRESS_ONLY:
                locked = locked or failures >= settings.AXES_IP_FAILURE_LIMIT
            else:
                counted = max(counted, failures)
                locked = locked or failures >= limit
        return max(counted, limit) if locked else counted

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """A successful login clears that username's failures at this address, never the address's budget:
        otherwise logging in to one's own account between guesses would refill it."""
        parameters = get_lockout_parameters(request, credentials)
        count = 0
        for parameter, attempts in zip(parameters, self.filter_user_attempts(request, credentials), strict=True):
            if parameter != ADDRESS_ONLY:
                count += attempts.delete()[0]
        return count
