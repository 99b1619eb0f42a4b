from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ketenregie.core.services import demo_accounts_remove


class Command(BaseCommand):
    help = (
        "Switch the demo accounts (password 'demo') off for good; production refuses to start while one "
        "can log in. They stay, switched off, because the audit trail names them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = demo_accounts_remove()
        self.stdout.write(f"Switched off {removed} demo account(s).")
