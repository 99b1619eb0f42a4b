"""Deliveries of employments: who works for which employer, and at which hirer when the employer is a
temp agency. One row per employment; a later delivery that gives an end date closes the employment
it names (same person, employer, hirer and start), it never adds a second one.

Rules (docs/deliveries-employments.md):
- the person must be in the register (by BSN); a delivery never creates people;
- employer and hirer must be employers known in the municipality (by KvK number);
- dates as YYYY-MM-DD (or DD-MM-YYYY); the end is not before the start;
- a partner (an employer's or agency's own account) delivers its own employments only: its KvK
  number is the row's employer. A hirer does not write the employments of the agency it hires from;
  civil affairs delivering on behalf of a deliverer may name it as employer or hirer;
- a partner's refusal does not confirm what the register holds: an unknown BSN is "check the BSN",
  as civil affairs sees "no person with this BSN" (docs/deliveries.md, "Refused deliveries");
- an empty end never reopens an employment that has ended: reopening is a decision for staff.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportResult, ParsedRow, RowError
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import validate_bsn, validate_kvk_number
from ketenregie.deliveries.models import Delivery
from ketenregie.deliveries.services import DeliveryContext, delivery_record, ensure_may_deliver
from ketenregie.employers import selectors as employer_selectors
from ketenregie.employers import services as employer_services
from ketenregie.employers.models import Employer, Employment
from ketenregie.people import selectors as people_selectors

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")
COLUMNS = ("bsn", "employer_kvk", "hirer_kvk", "starts_on", "ends_on")


@dataclass
class EmploymentRow:
    bsn: str
    employer_kvk: str
    hirer_kvk: str
    starts_on: dt.date
    ends_on: dt.date | None
    # Filled by check_together from the register.
    person_id: int = 0
    employer: Employer | None = None
    hirer: Employer | None = None

    def key(self) -> tuple[str, str, str, dt.date]:
        return (self.bsn, self.employer_kvk, self.hirer_kvk, self.starts_on)


def _date(value: str) -> dt.date | None:
    for layout in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, layout).date()
        except ValueError:
            continue
    return None


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


class EmploymentImporter:
    """A RowImporter (core.imports) for the ``employments`` delivery kind."""

    # Declared as the RowImporter protocol declares them, so an instance is a RowImporter to mypy.
    label: str = gettext_lazy("employments")  # type: ignore[assignment]
    model: Any = Employment
    required_columns: Sequence[str] = ("bsn", "employer_kvk", "starts_on")
    optional_columns: Sequence[str] = ("hirer_kvk", "ends_on")
    is_delivery = True

    def __init__(self, context: DeliveryContext) -> None:
        self.context = context
        self.delivery: Delivery | None = None
        self.review_count = 0  # employments are never reviewed: the person must be known by BSN
        self.rows_seen = 0  # read by the edge that records a refused delivery
        self._checked = False

    def parse(
        self, actor: Actor, row: dict[str, str], number: int
    ) -> tuple[EmploymentRow | None, list[RowError]]:
        if not self._checked:
            ensure_may_deliver(actor, self.context)
            self._checked = True
        self.rows_seen += 1
        errors: list[RowError] = []
        bsn = row.get("bsn", "")
        try:
            validate_bsn(bsn)
        except ValidationError as error:
            errors.append(RowError(number, "bsn", _messages(error)))
        for column in ("employer_kvk", "hirer_kvk"):
            value = row.get(column, "")
            if column == "hirer_kvk" and not value:
                continue
            try:
                validate_kvk_number(value)
            except ValidationError as error:
                errors.append(RowError(number, column, _messages(error)))
        dates: dict[str, dt.date | None] = {}
        for column in ("starts_on", "ends_on"):
            value = row.get(column, "")
            if not value:
                if column == "starts_on":
                    errors.append(RowError(number, column, _("A start date is required.")))
                dates[column] = None
                continue
            dates[column] = _date(value)
            if dates[column] is None:
                errors.append(
                    RowError(
                        number,
                        column,
                        _("“%(value)s” is not a date that exists; use YYYY-MM-DD, e.g. 2025-03-31.")
                        % {"value": value[:20]},
                    )
                )
        starts_on, ends_on = dates["starts_on"], dates["ends_on"]
        if starts_on and ends_on and ends_on < starts_on:
            errors.append(
                RowError(
                    number,
                    "ends_on",
                    _("The end (%(end)s) lies before the start (%(start)s).")
                    % {"end": ends_on.isoformat(), "start": starts_on.isoformat()},
                )
            )
        hirer_kvk = row.get("hirer_kvk", "")
        if hirer_kvk and hirer_kvk == row.get("employer_kvk"):
            errors.append(
                RowError(number, "hirer_kvk", _("The hirer is the employer itself: leave hirer_kvk empty."))
            )
        if errors or starts_on is None:
            return None, errors
        return EmploymentRow(bsn, row["employer_kvk"], hirer_kvk, starts_on, ends_on), []

    def check_together(self, actor: Actor, rows: list[ParsedRow[EmploymentRow]]) -> list[RowError]:
        errors: list[RowError] = []
        counts = Counter(r.value.key() for r in rows)
        for r in rows:
            if counts[r.value.key()] > 1:
                errors.append(
                    RowError(
                        r.number,
                        "starts_on",
                        _("This employment (person, employer, hirer, start) is in the file more than once."),
                    )
                )
        people = people_selectors.person_ids_by_bsn(actor=actor, bsns=[r.value.bsn for r in rows])
        employers = employer_selectors.employers_by_kvk(
            actor=actor,
            kvk_numbers=[k for r in rows for k in (r.value.employer_kvk, r.value.hirer_kvk) if k],
        )
        deliverer = self.context.employer
        # Staff see the register anyway; a partner's refusal must not confirm who is in it.
        precise = actor.can(Capability.VIEW_PERSONAL_DATA)
        # A partner delivers as the employer it is; staff may deliver a hirer's list on its behalf.
        as_employer_only = not actor.can(Capability.IMPORT_REGISTERS)
        for r in rows:
            value = r.value
            person_id = people.get(value.bsn)
            if person_id is None:
                # The BSN is not repeated in the message: error lists are shown, mailed and logged.
                errors.append(
                    RowError(
                        r.number,
                        "bsn",
                        _("No person with this BSN is in the register.")
                        if precise
                        else _("This row cannot be accepted: check the BSN."),
                    )
                )
            else:
                value.person_id = person_id
            for column, kvk in (("employer_kvk", value.employer_kvk), ("hirer_kvk", value.hirer_kvk)):
                if kvk and kvk not in employers:
                    errors.append(
                        RowError(
                            r.number,
                            column,
                            _("KvK number %(kvk)s is not an employer known in this municipality.")
                            % {"kvk": kvk},
                        )
                    )
            value.employer = employers.get(value.employer_kvk)
            value.hirer = employers.get(value.hirer_kvk) if value.hirer_kvk else None
            if deliverer is None:
                continue
            if as_employer_only and value.employer_kvk != deliverer.kvk_number:
                errors.append(
                    RowError(
                        r.number,
                        "employer_kvk",
                        _(
                            "Your organisation delivers only its own employees: employer_kvk must be "
                            "%(kvk)s (%(name)s). A hirer's workers are delivered by the agency that "
                            "employs them."
                        )
                        % {"name": deliverer.name, "kvk": deliverer.kvk_number},
                    )
                )
            elif deliverer.kvk_number not in (value.employer_kvk, value.hirer_kvk):
                errors.append(
                    RowError(
                        r.number,
                        "employer_kvk",
                        _(
                            "This delivery is made for %(name)s (KvK %(kvk)s): each row must name it as "
                            "employer or hirer."
                        )
                        % {"name": deliverer.name, "kvk": deliverer.kvk_number},
                    )
                )
        return errors

    def write(self, actor: Actor, rows: list[ParsedRow[EmploymentRow]]) -> ImportResult:
        existing = employer_selectors.employments_by_key(
            actor=actor, person_ids=[r.value.person_id for r in rows]
        )
        new: list[employer_services.DeliveredEmployment] = []
        endings: list[tuple[int, dt.date]] = []
        for r in rows:
            value = r.value
            assert value.employer is not None  # check_together refused the file otherwise
            key = (
                value.person_id,
                value.employer.pk,
                value.hirer.pk if value.hirer else None,
                value.starts_on,
            )
            known = existing.get(key)
            if known is None:
                new.append(
                    employer_services.DeliveredEmployment(
                        person_id=value.person_id,
                        employer=value.employer,
                        hirer=value.hirer,
                        starts_on=value.starts_on,
                        ends_on=value.ends_on,
                    )
                )
            elif value.ends_on is not None and value.ends_on != known[1]:
                endings.append((known[0], value.ends_on))
        created, ended = employer_services.employments_deliver(actor=actor, new=new, endings=endings)
        result = ImportResult(created=created, updated=ended, unchanged=len(rows) - created - ended)
        self.delivery = delivery_record(actor=actor, context=self.context, row_count=len(rows), result=result)
        return result
