"""The labour-migrants delivery: a list of workers and where they stay, from an employer, agency,
housing provider, inspection or the information point. All rows or none (core.imports.run_import).

A row is matched to the register (people.delivered); a certain match or a new person is applied at
once, an uncertain one waits in the review queue (MatchReview) and changes nothing until civil
affairs decides. The delivery itself is recorded every time, also when nothing changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.bulk import copy_tuples
from ketenregie.core.countries import CountryCodeField
from ketenregie.core.imports import ImportResult, ParsedRow, RowError, form_errors
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import normalise_postcode, validate_bsn
from ketenregie.deliveries.models import DeliveredPerson, Delivery, DeliverySource, MatchReview, ReviewStatus
from ketenregie.deliveries.services import (
    PARTNER_SOURCES,
    DeliveryContext,
    decided_reviews,
    delivery_record,
    ensure_may_deliver,
    review_identity,
    review_values,
)
from ketenregie.people.delivered import DeliveredRow, Match, apply_delivered, match_delivered
from ketenregie.people.models import Person
from ketenregie.places import selectors as place_selectors

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
COLUMNS = (
    "bsn",
    "surname",
    "given_names",
    "birth_date",
    "nationality",
    "arrival_date",
    "postcode",
    "house_number",
    "house_letter",
    "house_number_addition",
    "email",
    "phone",
    "source",
)
REQUIRED_COLUMNS = ("surname", "nationality", "postcode", "house_number")


class LabourMigrantRowForm(forms.Form):
    bsn = forms.CharField(required=False, validators=[validate_bsn])
    surname = forms.CharField(max_length=200)
    given_names = forms.CharField(required=False, max_length=200)
    birth_date = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)
    nationality = CountryCodeField()
    arrival_date = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)
    postcode = forms.CharField()
    house_number = forms.IntegerField(min_value=1, max_value=99999)
    house_letter = forms.CharField(required=False, max_length=1)
    house_number_addition = forms.CharField(required=False, max_length=4)
    email = forms.EmailField(required=False)
    phone = forms.CharField(required=False, max_length=30)
    source = forms.ChoiceField(required=False, choices=[("", ""), *DeliverySource.choices])

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("A date of birth cannot lie in the future."))
        return value

    def clean_arrival_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["arrival_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("An arrival date cannot lie in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("bsn") and "birth_date" in data and not data.get("birth_date"):
            self.add_error("birth_date", _("Without a BSN the date of birth is needed to find the person."))
        birth, arrival = data.get("birth_date"), data.get("arrival_date")
        if birth and arrival and arrival < birth:
            self.add_error("arrival_date", _("The arrival date lies before the date of birth."))
        return data


def _address_key(postcode: str, number: int, letter: str, addition: str) -> tuple[str, int, str, str]:
    return (postcode, number, letter.upper(), addition.upper())


def _identity(row: DeliveredRow) -> tuple[Any, ...]:
    return ("bsn", row.bsn) if row.bsn else ("name", *row.name_key)


def _canonical(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True)


class LabourMigrantImporter:
    label: Any = gettext_lazy("labour migrants (delivery)")
    model: Any = Person
    is_delivery = True
    required_columns: Sequence[str] = REQUIRED_COLUMNS
    optional_columns: Sequence[str] = tuple(c for c in COLUMNS if c not in REQUIRED_COLUMNS)

    def __init__(self, context: DeliveryContext) -> None:
        self.context = context
        self.delivery: Delivery | None = None
        self.review_count = 0
        self._matches: dict[int, Match] = {}
        self._checked = False
        # Rows about a worker whose earlier review civil affairs dismissed: neither applied nor reviewed.
        self._dismissed: set[int] = set()
        self._form: LabourMigrantRowForm | None = None
        self.rows_seen = 0  # read by the edge that records a refused delivery

    def parse(
        self, actor: Actor, row: dict[str, str], number: int
    ) -> tuple[DeliveredRow | None, list[RowError]]:
        if not self._checked:
            ensure_may_deliver(actor, self.context)
            self._checked = True
        self.rows_seen += 1
        form = self._bound_form(row)
        if not form.is_valid():
            return None, form_errors(form, number)
        data = form.cleaned_data
        source = data["source"] or self.context.source
        if source not in PARTNER_SOURCES and not actor.can(Capability.IMPORT_REGISTERS):
            return None, [
                RowError(
                    number,
                    "source",
                    _(
                        "An employer, agency or housing provider delivers as “employer”, “agency” "
                        "or “housing_provider”."
                    ),
                )
            ]
        value = DeliveredRow(
            number=number,
            bsn=data["bsn"],
            surname=data["surname"],
            given_names=data["given_names"],
            birth_date=data["birth_date"],
            nationality=data["nationality"],
            arrival_date=data["arrival_date"],
            email=data["email"],
            phone=data["phone"],
            source=source,
            address_key=_address_key(
                data["postcode"], data["house_number"], data["house_letter"], data["house_number_addition"]
            ),
        )
        return value, []

    def _bound_form(self, row: dict[str, str]) -> LabourMigrantRowForm:
        """One form for every row, bound to each in turn: building a form deep-copies its fields,
        which was half the time of validating 50,000 rows. Nothing of a row stays behind: a bound
        form's errors and cleaned data are rebuilt from ``data`` on each ``is_valid``."""
        if self._form is None:
            self._form = LabourMigrantRowForm(row)
            return self._form
        self._form.data = row
        self._form._errors = None  # type: ignore[attr-defined]
        return self._form

    def check_together(self, actor: Actor, rows: list[ParsedRow[DeliveredRow]]) -> list[RowError]:
        errors = self._check_addresses(actor, rows)
        seen: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for row in rows:
            seen[_identity(row.value)].append(row.number)
        for row in rows:
            numbers = seen[_identity(row.value)]
            if len(numbers) > 1:
                others = ", ".join(str(n) for n in numbers if n != row.number)
                errors.append(
                    RowError(
                        row.number,
                        "bsn" if row.value.bsn else "surname",
                        _("The same person appears more than once in the file (also row %(rows)s).")
                        % {"rows": others},
                    )
                )
        if errors:
            return errors
        matches = self._with_decisions(
            actor, rows, match_delivered(actor=actor, rows=[r.value for r in rows])
        )
        by_person: dict[int, list[int]] = defaultdict(list)
        for row, match in zip(rows, matches, strict=True):
            self._matches[row.number] = match
            if match.person is not None:
                by_person[match.person.pk].append(row.number)
        # Staff see the register anyway; to a partner the refusal must not confirm that two rows
        # (say, a guessed date of birth) are someone in it.
        precise = actor.can(Capability.VIEW_PERSONAL_DATA)
        for numbers in by_person.values():
            if len(numbers) > 1:
                listed = ", ".join(str(n) for n in numbers)
                errors.extend(
                    RowError(
                        number,
                        "surname",
                        _("Rows %(rows)s are the same person in the register.") % {"rows": listed}
                        if precise
                        else _(
                            "Rows %(rows)s cannot be accepted together: check their BSN, names and "
                            "dates of birth."
                        )
                        % {"rows": listed},
                    )
                    for number in numbers
                )
        return errors

    def _with_decisions(
        self, actor: Actor, rows: list[ParsedRow[DeliveredRow]], matches: list[Match]
    ) -> list[Match]:
        """An uncertain row about a worker civil affairs already decided on follows that decision: the
        person linked or registered then, or nothing when the row was dismissed (no new review)."""
        uncertain = [review_identity(r.value) for r, m in zip(rows, matches, strict=True) if m.needs_review]
        if not uncertain:
            return matches
        decided = decided_reviews(actor=actor, identities=uncertain)
        result: list[Match] = []
        for row, match in zip(rows, matches, strict=True):
            review = decided.get(review_identity(row.value)) if match.needs_review else None
            if review is None:
                result.append(match)
            elif review.status == ReviewStatus.DISMISSED:
                self._dismissed.add(row.number)
                result.append(Match())
            else:
                result.append(Match(person=review.person))
        return result

    def _check_addresses(self, actor: Actor, rows: list[ParsedRow[DeliveredRow]]) -> list[RowError]:
        keys = {row.value.address_key for row in rows if row.value.address_key is not None}
        found: dict[tuple[str, int, str, str], int] = {}
        for pk, postcode, number, letter, addition in place_selectors.address_rows_by_postcode(
            actor=actor, postcodes={k[0] for k in keys}
        ):
            found[_address_key(postcode, number, letter, addition)] = pk
        errors: list[RowError] = []
        for row in rows:
            key = row.value.address_key
            if key is None:
                continue
            if key not in found:
                errors.append(
                    RowError(
                        row.number,
                        "postcode",
                        _(
                            "There is no address %(postcode)s %(number)s%(letter)s%(addition)s "
                            "in this municipality's register (BAG)."
                        )
                        % {
                            "postcode": key[0],
                            "number": key[1],
                            "letter": key[2],
                            "addition": f"-{key[3]}" if key[3] else "",
                        },
                    )
                )
            else:
                row.value.address_id = found[key]
        return errors

    def write(self, actor: Actor, rows: list[ParsedRow[DeliveredRow]]) -> ImportResult:
        certain = [
            (r.value, self._matches[r.number].person)
            for r in rows
            if not self._matches[r.number].needs_review and r.number not in self._dismissed
        ]
        dismissed = [r.value for r in rows if r.number in self._dismissed]
        uncertain = [(r.value, self._matches[r.number]) for r in rows if self._matches[r.number].needs_review]
        applied = apply_delivered(actor=actor, items=certain)
        result = ImportResult(unchanged=len(dismissed))
        for item in applied:
            setattr(result, item.outcome, getattr(result, item.outcome) + 1)
        self.review_count = len(uncertain)
        delivery = delivery_record(
            actor=actor,
            context=self.context,
            row_count=len(rows),
            result=result,
            review_count=self.review_count,
        )
        self.delivery = delivery
        # COPY without model instances: one delivered person per row.
        copy_tuples(
            DeliveredPerson,
            ("municipality_id", "delivery_id", "row_number", "person_id", "address_id"),
            [
                (actor.municipality.pk, delivery.pk, row.number, item.person.pk, row.address_id)
                for (row, _person), item in zip(certain, applied, strict=True)
            ]
            + [
                (actor.municipality.pk, delivery.pk, row.number, None, row.address_id)
                for row in [*(row for row, _m in uncertain), *dismissed]
            ],
        )
        self._open_reviews(actor, delivery, uncertain)
        return result

    def _open_reviews(
        self, actor: Actor, delivery: Delivery, uncertain: list[tuple[DeliveredRow, Match]]
    ) -> None:
        """One open review per delivered set of values: delivering the same row again adds none."""
        if not uncertain:
            return
        waiting = {
            _canonical(values)
            for values in MatchReview.objects.filter(
                municipality=actor.municipality, status=ReviewStatus.OPEN
            ).values_list("values", flat=True)
        }
        reviews: list[tuple[MatchReview, list[Person]]] = []
        for row, match in uncertain:
            values = review_values(row)
            if _canonical(values) in waiting:
                continue
            waiting.add(_canonical(values))
            reviews.append(
                (
                    MatchReview(
                        municipality=actor.municipality,
                        delivery=delivery,
                        row_number=row.number,
                        values=values,
                        identity=review_identity(row),
                        reason=match.reason[:200],
                    ),
                    match.candidates,
                )
            )
        MatchReview.objects.bulk_create([review for review, _c in reviews], batch_size=2000)
        through = MatchReview.candidates.through
        through.objects.bulk_create(
            [
                through(matchreview_id=review.pk, person_id=person.pk)
                for review, candidates in reviews
                for person in candidates
            ],
            batch_size=2000,
        )
