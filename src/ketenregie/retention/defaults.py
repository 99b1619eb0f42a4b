"""The default retention periods, each with its source, and the shortest period a municipality may set.

docs/retention.md explains every row. The Selectielijst gemeenten en intergemeentelijke organen 2020
(VNG, vastgesteld 18 februari 2020, Staatscourant 2020 nr. 11143) sets periods per process and
result; the rows below are this project's reading of it for the processes Ketenregie supports, and a
municipality maps them onto its own zaaktypecatalogus. Where the Selectielijst has nothing to say
(copies, one-time codes, pseudonymous logs, model runs) the period follows from the AVG's storage
limitation (art. 5(1)(e)) and is the project's choice, with its reasoning.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ketenregie.retention.models import PeriodUnit, RecordType


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str

    def before(self, day: dt.date) -> dt.date:
        """The day this period before ``day`` (31 March minus a month is 28 or 29 February)."""
        if self.unit == PeriodUnit.DAYS:
            return day - dt.timedelta(days=self.amount)
        months = self.amount * (12 if self.unit == PeriodUnit.YEARS else 1)
        index = day.year * 12 + (day.month - 1) - months
        year, month = divmod(index, 12)
        month += 1
        return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

    def at_least(self, other: Period, *, on: dt.date) -> bool:
        return self.before(on) <= other.before(on)

    def label(self) -> str:
        units = {
            PeriodUnit.DAYS: (_("day"), _("days")),
            PeriodUnit.MONTHS: (_("month"), _("months")),
            PeriodUnit.YEARS: (_("year"), _("years")),
        }
        one, many = units[PeriodUnit(self.unit)]
        return f"{self.amount} {one if self.amount == 1 else many}"


@dataclass(frozen=True)
class Default:
    period: Period
    minimum: Period
    counted_from: Promise
    basis: Promise


Y, D = PeriodUnit.YEARS, PeriodUnit.DAYS

# The longest period anyone may set: a guard against a typo (100 years), not a legal limit.
MAXIMUM = Period(30, Y)

DEFAULTS: dict[str, Default] = {
    RecordType.SIGNALS: Default(
        Period(2, Y),
        Period(1, Y),
        _("closing of the melding; a melding linked to a case stays as long as that case"),
        _(
            "Selectielijst gemeenten 2020: a melding that led to no case of its own is a short-lived "
            "record to be destroyed. Two years lets a repeat melding at the same address be linked and a "
            "complaint about its handling (Awb chapter 9) be answered; project's choice."
        ),
    ),
    RecordType.CASES_SANCTIONED: Default(
        Period(10, Y),
        Period(5, Y),
        _("closing of the case (a penalty order or administrative fine was imposed)"),
        _(
            "Selectielijst gemeenten 2020, enforcement (handhaving) ending in a sanction decision: destroy "
            "10 years after the case ends. The decision must stay available for objection, appeal, "
            "collection and a repeat offence."
        ),
    ),
    RecordType.CASES: Default(
        Period(5, Y),
        Period(2, Y),
        _("closing of the case (no sanction imposed)"),
        _(
            "Selectielijst gemeenten 2020, supervision (toezicht) without a sanction: destroy 5 years "
            "after the case ends, so a later inspection at the address can refer to the earlier one."
        ),
    ),
    RecordType.HANDOVER_DOSSIERS: Default(
        Period(1, Y),
        Period(30, D),
        _("hand-over; the hand-over record itself (recipient, legal basis, SHA-256) stays with the case"),
        _(
            "AVG art. 5(1)(e): the dossier is a copy made for the recipient, who keeps its own under its "
            "own rules; the case keeps the originals. Project's choice."
        ),
    ),
    RecordType.REGISTRATION_FORMS: Default(
        Period(2, Y),
        # The forms count in a yearly figure: none may go before its year's figure is settled.
        Period(1, Y),
        _("processing in the BRP (or rejection); forms still to be processed stay"),
        _(
            "AVG art. 5(1)(e): once processed the person is in the BRP or RNI; the form stays two years "
            "for an address investigation or an objection. Project's choice."
        ),
    ),
    RecordType.PORTAL_VERIFICATIONS: Default(
        Period(30, D),
        Period(1, D),
        _("creation of the verification or the code"),
        _(
            "AVG art. 5(1)(e): a one-time code is valid for minutes; 30 days leaves time to look into "
            "abuse of the portal. Project's choice."
        ),
    ),
    RecordType.SELF_SERVICE_REPORTS: Default(
        Period(2, Y),
        Period(1, Y),
        _("the check of the report, or its submission when no check was needed; reports to check stay"),
        _(
            "AVG art. 5(1)(e): the register keeps the residence itself; the report shows for two years "
            "how it came about, for an address investigation or an objection. Project's choice."
        ),
    ),
    RecordType.INFOPOINT_CONTACTS: Default(
        Period(1, Y),
        Period(1, Y),
        _("the date of the contact; a contact with an open follow-up stays until it is done"),
        _(
            "AVG art. 5(1)(e): the log is pseudonymous and serves the yearly figures, which are stored "
            "in monitoring. One year; project's choice."
        ),
    ),
    RecordType.RISK_RUNS: Default(
        Period(1, Y),
        Period(30, D),
        _("the run's reference date; a run behind a control list that led to a case stays with it"),
        _(
            "AVG art. 5(1)(c) and (e), profiling: scores are not kept longer than a year, as `risk prune` "
            "did; Selectielijst 2020 keeps the algorithm itself (the rules), not every outcome."
        ),
    ),
    RecordType.AUDIT_TRAIL: Default(
        Period(2, Y),
        Period(1, Y),
        _("the event; the database refuses to remove events younger than a year"),
        _(
            "BIO 12.4 (logging) and AVG art. 5(2), accountability: two years covers the yearly privacy "
            "audit and an access request about the past year. Project's choice."
        ),
    ),
}
