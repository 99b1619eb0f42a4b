from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ketenregie.core.services import demo_accounts_remove


class Command(BaseCommand):
    help = "Delete the demo accounts (password 'demo'); production refuses to start while they exist."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = demo_accounts_remove()
        self.stdout.write(f"Removed {removed} demo account record(s).")
