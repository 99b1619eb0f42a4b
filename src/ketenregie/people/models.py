from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.core.countries import validate_country_code
from ketenregie.core.models import TenantModel, VersionedModel
from ketenregie.core.validators import validate_bsn
from ketenregie.people.brp_dates import BrpDate


class RegistrationStatus(models.TextChoices):
    RESIDENT = "brp", _("registered resident (BRP)")
    NON_RESIDENT = "rni", _("non-resident (RNI)")
    NOT_REGISTERED = "none", _("not registered")
    EMIGRATED = "emigrated", _("emigrated")
    DECEASED = "deceased", _("deceased")


class SuspensionReason(models.TextChoices):
    """Reden opschorting bijhouding (07.67.20)."""

    DECEASED = "O", _("deceased (overlijden)")
    EMIGRATED = "E", _("emigrated (emigratie)")
    MINISTERIAL_DECISION = "M", _("ministerial decision (ministerieel besluit)")
    RNI = "R", _("record created in the RNI")
    WITHDRAWN = "F", _("record withdrawn as erroneous (fout)")
    ERASED = "W", _("record erased (wissen)")
    UNKNOWN = ".", _("unknown")


# A record suspended for these reasons never held an address as far as occupancy is concerned.
VOID_SUSPENSION_REASONS = frozenset({SuspensionReason.WITHDRAWN, SuspensionReason.ERASED})


class Person(TenantModel, VersionedModel):
    # The indexes below all begin with the municipality, so the foreign key needs none of its own:
    # one index less to maintain on every insert (a million at a time in a BRP import).
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
        db_index=False,
    )
    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        blank=True,
        validators=[validate_bsn],
        help_text=_("Burgerservicenummer: 9 digits that pass the 11-test. Optional."),
    )
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    surname_prefix = models.CharField(_("surname prefix (voorvoegsel)"), max_length=10, blank=True)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(
        _("nationality"),
        max_length=2,
        blank=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2 country code, e.g. PL."),
    )
    registration_status = models.CharField(
        _("registration status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.RESIDENT,
    )
    brp_registration_requested_on = models.DateField(
        _("BRP registration requested on"),
        null=True,
        blank=True,
        help_text=_(
            "Civil affairs asked the BRP to register this person (from a first-registration form); "
            "the request stands until the BRP registers them."
        ),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("ISO 639-1 codes of the languages the person reads."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_secret = models.BooleanField(
        _("secret (geheimhouding)"),
        default=False,
        help_text=_("The person asked the BRP not to hand out their data to third parties."),
    )
    # What the BRP itself records (imported from a GBA-V extract), kept as it was delivered.
    a_number = models.CharField(
        _("A-number (01.01.10)"),
        max_length=10,
        blank=True,
        help_text=_("The administration number of the BRP record: how an extract identifies a person."),
    )
    birth_date_raw = models.CharField(
        _("date of birth as in the BRP (01.03.10)"),
        max_length=8,
        blank=True,
        help_text=_("YYYYMMDD with 00 for an unknown month or day."),
    )
    brp_nationality_code = models.CharField(_("nationality code (04.05.10)"), max_length=4, blank=True)
    secrecy_indicator = models.PositiveSmallIntegerField(
        _("secrecy indicator (07.70.10)"),
        null=True,
        blank=True,
        help_text=_("0 to 7 as in the BRP; anything above 0 means secret."),
    )
    suspended_on = models.DateField(
        _("record suspended on (07.67.10)"),
        null=True,
        blank=True,
        help_text=_("The earliest day the suspension can have started when the date is partly unknown."),
    )
    suspended_on_raw = models.CharField(_("suspension date as in the BRP"), max_length=8, blank=True)
    suspension_reason = models.CharField(
        _("reason for suspension (07.67.20)"), max_length=1, blank=True, choices=SuspensionReason.choices
    )
    registration_municipality_code = models.CharField(
        _("municipality of registration (08.09.10)"), max_length=4, blank=True
    )
    # RNI-deelnemer (88.10) and omschrijving verdrag (88.20) of the current categories 01, 04, 06, 07
    # and 08, as the BRP Personen API's `rni`: [{"category": "01", "participant": "0201", "treaty": ""}].
    rni = models.JSONField(
        _("RNI participants (88.10/88.20)"),
        default=list,
        blank=True,
        help_text=_(
            "Which RNI participant delivered which category of a non-resident's record, "
            "and under which treaty."
        ),
    )

    class Meta:
        ordering = ["surname", "given_names", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # The BRP itself holds records that share a BSN (a known data problem it investigates), so
            # records imported from it are identified by A-number; people entered here keep a unique
            # BSN (``clean`` also checks them against the imported records).
            models.UniqueConstraint(
                fields=["municipality", "bsn"],
                condition=~Q(bsn="") & Q(a_number=""),
                name="person_unique_bsn",
                violation_error_message=_("A person with this BSN is already registered."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "a_number"],
                condition=~Q(a_number=""),
                name="person_unique_a_number",
                violation_error_message=_("A person with this A-number is already registered."),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "surname", "birth_date"], name="person_name_birth"),
            models.Index(fields=["municipality", "nationality"], name="person_nationality"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)

    def clean(self) -> None:
        super().clean()
        if self.bsn and not self.a_number and self.municipality_id:
            clash = Person.objects.filter(municipality_id=self.municipality_id, bsn=self.bsn).exclude(
                pk=self.pk
            )
            if clash.exists():
                raise ValidationError({"bsn": _("A person with this BSN is already registered.")})

    @property
    def is_suspended(self) -> bool:
        return bool(self.suspension_reason)

    @property
    def birth_date_brp(self) -> BrpDate | None:
        """The date of birth with its unknown parts, for displays that must not invent a day."""
        if self.birth_date_raw:
            return BrpDate(self.birth_date_raw)
        return BrpDate.from_date(self.birth_date) if self.birth_date else None


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("agriculture and horticulture")
    LOGISTICS = "logistics", _("logistics and distribution")
    FOOD = "food", _("food processing")
    MANUFACTURING = "manufacturing", _("manufacturing")
    CONSTRUCTION = "construction", _("construction")
    HOSPITALITY = "hospitality", _("hospitality")
    CLEANING = "cleaning", _("cleaning")
    PORT = "port", _("port and shipping")
    CARE = "care", _("care")
    OTHER = "other", _("other")


class LabourMigrant(TenantModel):
    """A person who came here to work: the labour-migration profile of a Person."""

    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="labour_migrant",
        verbose_name=_("person"),
    )
    country_of_origin = models.CharField(
        _("country of origin"), max_length=2, validators=[validate_country_code]
    )
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    # A profile delivered by an employer, the portal or the BRP import is a claim until staff check it.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("labour migrant")
        verbose_name_plural = _("labour migrants")

    def __str__(self) -> str:
        return str(self.person)


class ResidenceSource(models.TextChoices):
    BRP = "brp", _("BRP")
    RNI = "rni", _("RNI")
    EMPLOYER = "employer", _("employer")
    AGENCY = "agency", _("temp agency")
    HOUSING_PROVIDER = "housing_provider", _("housing provider")
    INFOPOINT = "infopoint", _("information point")
    SELF_SERVICE = "self_service", _("self-service")
    INSPECTION = "inspection", _("inspection")


# The registers' own sources (BRP, RNI). Every other source is a stay address: where someone says, or an
# inspector saw, that a person stays. A stay address never ends a register's residence (people.stays) and
# takes precedence over the register's address where people are counted (``where_lives``).
REGISTER_SOURCES = frozenset({ResidenceSource.BRP, ResidenceSource.RNI})
STAY_SOURCES = frozenset(source for source in ResidenceSource if source not in REGISTER_SOURCES)


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("not verified")
    VERIFIED = "verified", _("verified")
    DISPUTED = "disputed", _("disputed")
    REJECTED = "rejected", _("rejected")


class VerificationMethod(models.TextChoices):
    BRP = "brp", _("BRP (registered at this address)")
    INSPECTION = "inspection", _("inspection (seen living there)")
    HOUSING_REGISTER = "housing_register", _("housing provider's occupant register")
    DOCUMENT = "document", _("document (rental contract, statement)")
    OTHER = "other", _("other")


class AddressFunction(models.TextChoices):
    LIVING = "W", _("living address (woonadres)")
    POSTAL = "B", _("postal address (briefadres)")


class AddressDeclaration(models.TextChoices):
    """Omschrijving van de aangifte adreshouding (08.72.10): who declared the address, or why it changed."""

    EX_OFFICIO = "A", _("ex officio (ambtshalve)")
    MINISTERIAL_DECISION = "B", _("ministerial decision")
    GUARDIAN = "G", _("guardian (gezaghouder)")
    HEAD_OF_INSTITUTION = "H", _("head of institution")
    REGISTERED_PERSON = "I", _("the registered person (ingeschrevene)")
    ADULT_CHILD = "K", _("adult child living with a parent")
    AUTHORISED_ADULT = "M", _("authorised adult (meerderjarige gemachtigde)")
    PARENT = "O", _("parent living with an adult child")
    PARTNER = "P", _("spouse or registered partner")
    TECHNICAL_BAG_CHANGE = "T", _("technical change for the BAG")
    INFRASTRUCTURAL_CHANGE = "W", _("infrastructural change")
    UNKNOWN = ".", _("unknown")


# The address changed by itself (a new BAG identification, a split or a merger), not by a move.
INFRASTRUCTURAL_DECLARATIONS = frozenset(
    {AddressDeclaration.TECHNICAL_BAG_CHANGE, AddressDeclaration.INFRASTRUCTURAL_CHANGE}
)


class Residence(TenantModel, VersionedModel):
    """A person's stay at an address for a period [starts_on, ends_on): the end date is exclusive."""

    # Both foreign keys lead a composite index below (residence_person_start, residence_address_end),
    # so they need no index of their own.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="residences", verbose_name=_("person"), db_index=False
    )
    address = models.ForeignKey(
        "places.Address",
        on_delete=models.PROTECT,
        related_name="residences",
        verbose_name=_("address"),
        null=True,
        blank=True,
        db_index=False,
        help_text=_("Empty for an address abroad or in another municipality's register."),
    )
    starts_on = models.DateField(
        _("from"),
        null=True,
        blank=True,
        help_text=_("The earliest day the stay can have started; empty when wholly unknown."),
    )
    ends_on = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("The first day the person no longer stays here; empty while current."),
    )
    # The BRP's own facts about this address holding (verblijfplaats), kept as delivered.
    sequence = models.PositiveIntegerField(
        _("order in the history"),
        default=0,
        help_text=_("1 for the person's first known address holding; 0 when not from the BRP."),
    )
    starts_on_raw = models.CharField(
        _("start date as in the BRP (08.10.30)"),
        max_length=8,
        blank=True,
        help_text=_("YYYYMMDD with 00 for an unknown month or day, 00000000 when wholly unknown."),
    )
    starts_on_latest = models.DateField(
        _("latest possible start"),
        null=True,
        blank=True,
        help_text=_("The last day the stay can have started; equals the start when the date is known."),
    )
    certain_from = models.DateField(
        _("certainly living here from"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the start date is partly unknown: the first day the person certainly lives here "
            "(9999-12-31 when never). Empty means the same as the start."
        ),
    )
    possible_until = models.DateField(
        _("possibly living here until"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the next holding's start is partly unknown: the first day the person certainly "
            "no longer lives here (9999-12-31 when open). Empty means the same as the end."
        ),
    )
    declaration = models.CharField(
        _("declaration of address (08.72.10)"), max_length=1, blank=True, choices=AddressDeclaration.choices
    )
    municipality_code = models.CharField(
        _("municipality of registration (08.09.10)"), max_length=4, blank=True
    )
    bag_object_id = models.CharField(_("addressable object id (08.11.80)"), max_length=16, blank=True)
    bag_address_id = models.CharField(_("nummeraanduiding id (08.11.90)"), max_length=16, blank=True)
    brp_address = models.JSONField(
        _("address as in the BRP"),
        default=dict,
        blank=True,
        help_text=_("Street, number, postcode, town or location description as the BRP recorded them."),
    )
    country_code = models.CharField(
        _("country (08.13.10)"), max_length=4, blank=True, help_text=_("Set for an address abroad.")
    )
    foreign_address_line1 = models.CharField(
        _("address abroad, line 1 (08.13.30)"), max_length=40, blank=True
    )
    foreign_address_line2 = models.CharField(
        _("address abroad, line 2 (08.13.40)"), max_length=40, blank=True
    )
    foreign_address_line3 = models.CharField(
        _("address abroad, line 3 (08.13.50)"), max_length=40, blank=True
    )
    investigation_code = models.CharField(
        _("data under investigation (08.83.10)"),
        max_length=6,
        blank=True,
        help_text=_("Which data of this address holding the municipality is investigating, e.g. 080000."),
    )
    investigation_start_raw = models.CharField(
        _("investigation started (08.83.20)"), max_length=8, blank=True
    )
    investigation_end_raw = models.CharField(_("investigation ended (08.83.30)"), max_length=8, blank=True)
    rni_participant = models.CharField(_("RNI participant (08.88.10)"), max_length=4, blank=True)
    rni_treaty = models.CharField(_("treaty (08.88.20)"), max_length=80, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=ResidenceSource.choices)
    verification_status = models.CharField(
        _("verification"),
        max_length=12,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
    )
    address_function = models.CharField(
        _("address function"), max_length=1, choices=AddressFunction.choices, default=AddressFunction.LIVING
    )
    # The last verification step, copied from its ResidenceVerification so that lists need no join;
    # empty while unverified. The steps themselves are the history (people.verification).
    verification_method = models.CharField(
        _("verified how"), max_length=20, choices=VerificationMethod.choices, blank=True
    )
    verification_at = models.DateTimeField(_("verification status since"), null=True, blank=True)
    verification_by = models.CharField(
        _("verification status set by"),
        max_length=150,
        blank=True,
        help_text=_("The user name, or system:<import> for an import."),
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        constraints = [
            # An end equal to the start is an empty period: a holding the BRP superseded on the day it
            # began (an infrastructural change recorded with the original start date).
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="residence_ends_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["address", "ends_on"], name="residence_address_end"),
            models.Index(fields=["person", "starts_on"], name="residence_person_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.address_id} [{self.starts_on}–{self.ends_on or ''})"

    def is_living_on(self, day: dt.date) -> bool:
        """The Python twin of ``people.selectors.living_on``: certainly living here on ``day``."""
        return (
            self.address_function == AddressFunction.LIVING
            and (self.starts_on is None or self.starts_on <= day)
            and (self.ends_on is None or self.ends_on > day)
            and (self.certain_from is None or self.certain_from <= day)
        )

    @property
    def is_stay_address(self) -> bool:
        """Delivered or reported by someone else than the registers (BRP, RNI)."""
        return self.source not in REGISTER_SOURCES

    @property
    def precedence(self) -> tuple[bool, dt.date, int]:
        """The order of ``people.selectors.lives_on``: a stay address before the register's address,
        then the latest start (an unknown start is the earliest), then the highest id."""
        return (self.is_stay_address, self.starts_on or dt.date.min, self.pk or 0)

    def counts_on(self, day: dt.date) -> bool:
        """May this residence be where the person lives on ``day``: running then and not rejected."""
        return self.is_living_on(day) and self.verification_status != VerificationStatus.REJECTED

    @property
    def start_brp(self) -> BrpDate | None:
        """The start date with its unknown parts (from the BRP), or the known start."""
        if self.starts_on_raw:
            return BrpDate(self.starts_on_raw)
        return BrpDate.from_date(self.starts_on) if self.starts_on else None

    @property
    def is_abroad(self) -> bool:
        return bool(self.country_code)

    @property
    def label(self) -> str:
        """Where this holding was: the register's address, or what the BRP recorded."""
        if self.address_id and self.address is not None:
            return self.address.label
        if self.country_code:
            lines = (self.foreign_address_line1, self.foreign_address_line2, self.foreign_address_line3)
            return ", ".join(line for line in lines if line) or self.country_code
        parts = self.brp_address
        if parts.get("location"):
            return str(parts["location"])
        number = "".join(str(parts.get(k, "")) for k in ("house_number", "house_letter"))
        if parts.get("house_number_addition"):
            number += f"-{parts['house_number_addition']}"
        return " ".join(p for p in (parts.get("street", ""), number, parts.get("postcode", "")) if p)


class ResidenceVerificationQuerySet(models.QuerySet["ResidenceVerification"]):
    def update(self, **kwargs: object) -> int:
        raise RuntimeError("the verification history is append-only")


class ResidenceVerification(TenantModel):
    """One step in the verification of a residence: from which status to which, how, by whom, when.

    Append-only: the steps are the history; the residence carries the latest as its current state.
    ``by_user`` is empty for an import, whose actor name (``system:import-brp``) is in ``by_name``.
    """

    residence = models.ForeignKey(
        Residence, on_delete=models.CASCADE, related_name="verifications", verbose_name=_("residence")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=VerificationStatus.choices)
    status = models.CharField(_("to"), max_length=12, choices=VerificationStatus.choices)
    method = models.CharField(_("how"), max_length=20, choices=VerificationMethod.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    by_user = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    by_name = models.CharField(_("by"), max_length=150)
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = ResidenceVerificationQuerySet.as_manager()

    class Meta:
        ordering = ["residence", "at", "pk"]
        verbose_name = _("verification step")
        verbose_name_plural = _("verification steps")
        indexes = [models.Index(fields=["residence", "at"], name="residence_verification_at")]

    def __str__(self) -> str:
        return f"{self.residence_id}: {self.from_status} → {self.status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("the verification history is append-only")
        super().save(*args, **kwargs)


def where_lives(residences: Iterable[Residence], day: dt.date) -> Residence | None:
    """The Python twin of ``people.selectors.lives_on``: of one person's residences, the one where
    they live on ``day`` (or None)."""
    running = [r for r in residences if r.counts_on(day)]
    return max(running, key=lambda r: r.precedence) if running else None


def living_periods(residences: Sequence[Residence]) -> list[tuple[Residence, dt.date | None, dt.date | None]]:
    """``where_lives`` over time: of one person's residences, the periods [start, end) in which each
    one is where they live (start None: since an unknown day; end None: still). A residence can get
    several periods (a BRP address interrupted by a stay address) or none."""
    cuts: set[dt.date] = set()
    for r in residences:
        cuts.update(d for d in (r.starts_on, r.ends_on, r.certain_from) if d is not None and d < dt.date.max)
    days = [dt.date.min, *sorted(cuts - {dt.date.min})]
    periods: list[tuple[Residence, dt.date | None, dt.date | None]] = []
    for start, end in zip(days, [*days[1:], None], strict=True):
        winner = where_lives(residences, start)
        if winner is None:
            continue
        if periods and periods[-1][0] is winner and periods[-1][2] == start:
            periods[-1] = (winner, periods[-1][1], end)
        else:
            periods.append((winner, None if start == dt.date.min else start, end))
    return periods
