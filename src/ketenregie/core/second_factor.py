"""The second factor (TOTP through django-otp), one rule for the web login and the API's token endpoint.

A user who set up an authenticator app must give its code wherever a password alone would let them in;
otherwise a phished password would still open the API.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_otp import devices_for_user, match_token
from django_otp.models import Device

from ketenregie.core.models import User


@dataclass(frozen=True)
class SecondFactor:
    required: bool
    device: Device | None

    @property
    def passed(self) -> bool:
        return not self.required or self.device is not None


def second_factor_check(user: User, code: str) -> SecondFactor:
    """Whether the user needs a second factor and, if so, the device the code matched (None: no match)."""
    if not any(devices_for_user(user, confirmed=True)):
        return SecondFactor(required=False, device=None)
    code = code.strip()
    return SecondFactor(required=True, device=match_token(user, code) if code else None)
