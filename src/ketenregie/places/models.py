from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel
from ketenregie.core.validators import validate_bag_address_id, validate_bag_object_id, validate_postcode


class UsePurpose(models.TextChoices):
    """Gebruiksdoelen of a verblijfsobject in the BAG."""

    RESIDENTIAL = "woonfunctie", _("residential (woonfunctie)")
    LODGING = "logiesfunctie", _("lodging (logiesfunctie)")
    ASSEMBLY = "bijeenkomstfunctie", _("assembly (bijeenkomstfunctie)")
    DETENTION = "celfunctie", _("detention (celfunctie)")
    HEALTHCARE = "gezondheidszorgfunctie", _("healthcare (gezondheidszorgfunctie)")
    INDUSTRIAL = "industriefunctie", _("industrial (industriefunctie)")
    OFFICE = "kantoorfunctie", _("office (kantoorfunctie)")
    EDUCATION = "onderwijsfunctie", _("education (onderwijsfunctie)")
    SPORT = "sportfunctie", _("sport (sportfunctie)")
    RETAIL = "winkelfunctie", _("retail (winkelfunctie)")
    OTHER = "overige gebruiksfunctie", _("other use (overige gebruiksfunctie)")


# The uses under which people may live at an address (Bouwbesluit: woon- and logiesfunctie).
HABITABLE_USES = frozenset({UsePurpose.RESIDENTIAL, UsePurpose.LODGING})


def is_habitable(use_purposes: list[str] | None) -> bool:
    return bool(HABITABLE_USES.intersection(use_purposes or []))


class BagStatus(models.TextChoices):
    IN_USE = "Verblijfsobject in gebruik", _("in use")
    IN_USE_NOT_MEASURED = "Verblijfsobject in gebruik (niet ingemeten)", _("in use (not measured)")
    FORMED = "Verblijfsobject gevormd", _("formed")
    WITHDRAWN = "Verblijfsobject ingetrokken", _("withdrawn")
    NOT_REALISED = "Niet gerealiseerd verblijfsobject", _("not realised")
    OUT_OF_USE = "Verblijfsobject buiten gebruik", _("out of use")
    RENOVATION = "Verbouwing verblijfsobject", _("under renovation")
    PLACE_DESIGNATED = "Plaats aangewezen", _("berth or pitch designated")
    PLACE_WITHDRAWN = "Plaats ingetrokken", _("berth or pitch withdrawn")
    UNKNOWN = "", _("unknown")


class District(TenantModel):
    """Wijk, with its CBS code (WK + municipality code + 2 digits)."""

    code = models.CharField(_("CBS district code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district (wijk)")
        verbose_name_plural = _("districts (wijken)")
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="district_unique_code")]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(TenantModel):
    """Buurt, with its CBS code (BU + municipality code + 4 digits)."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="neighbourhoods", verbose_name=_("district")
    )
    code = models.CharField(_("CBS neighbourhood code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    is_priority = models.BooleanField(
        _("priority neighbourhood"),
        default=False,
        help_text=_("Named as a priority area in the municipality's action programme."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood (buurt)")
        verbose_name_plural = _("neighbourhoods (buurten)")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="neighbourhood_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Address(TenantModel, VersionedModel):
    """An addressable object (verblijfsobject, ligplaats or standplaats) with its main address, or,
    with ``main_address`` set, one of that object's secondary addresses (nevenadressen).

    A secondary address shares the object (``bag_object_id``) with its main address and has its own
    nummeraanduiding; what belongs to the object (floor area, use purposes, status, who lives there
    in counts and risk) is read from the main address, so nobody is counted twice. A stay address
    (Residence) may be a secondary address, as the BRP allows."""

    bag_object_id = models.CharField(
        _("BAG addressable object id"),
        max_length=16,
        blank=True,
        validators=[validate_bag_object_id],
        help_text=_("16 digits: municipality code, object type (01, 02 or 03) and a sequence number."),
    )
    bag_address_id = models.CharField(
        _("BAG nummeraanduiding id"),
        max_length=16,
        blank=True,
        validators=[validate_bag_address_id],
        help_text=_("16 digits: municipality code, 20, and a sequence number."),
    )
    street = models.CharField(_("street"), max_length=80)
    house_number = models.PositiveIntegerField(_("house number"))
    house_letter = models.CharField(_("house letter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("house number addition"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True, validators=[validate_postcode])
    town = models.CharField(_("town"), max_length=80)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="addresses",
        verbose_name=_("neighbourhood"),
    )
    floor_area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    use_purposes = models.JSONField(_("use purposes"), default=list, blank=True)
    is_habitable_use = models.BooleanField(
        _("residential or lodging use"),
        default=False,
        editable=False,
        help_text=_("Derived from the use purposes on save, so lists can filter on it in the database."),
    )
    is_caravan = models.BooleanField(_("caravan or mobile home (standplaats)"), default=False)
    bag_status = models.CharField(_("BAG status"), max_length=60, blank=True, choices=BagStatus.choices)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    main_address = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secondary_addresses",
        verbose_name=_("main address (hoofdadres)"),
        help_text=_(
            "Set when this is a secondary address (nevenadres) of the same addressable object: "
            "the object's data and counts are on the main address."
        ),
    )
    is_complete = models.BooleanField(
        _("complete"),
        default=True,
        help_text=_("False when the address was named in a BRP record but is missing from the BAG import."),
    )

    class Meta:
        ordering = ["street", "house_number", "house_letter", "house_number_addition"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            # One main address per addressable object; its secondary addresses share the object id.
            models.UniqueConstraint(
                fields=["municipality", "bag_object_id"],
                condition=~models.Q(bag_object_id="") & models.Q(main_address__isnull=True),
                name="address_unique_bag_object",
            ),
            models.CheckConstraint(
                condition=models.Q(main_address__isnull=True)
                | (~models.Q(bag_object_id="") & ~models.Q(bag_address_id="")),
                name="address_secondary_has_bag_ids",
            ),
            models.UniqueConstraint(
                fields=["municipality", "bag_address_id"],
                condition=~models.Q(bag_address_id=""),
                name="address_unique_bag_address",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "postcode", "house_number"], name="address_postcode_number"),
            models.Index(
                fields=[
                    "municipality",
                    "street",
                    "house_number",
                    "house_letter",
                    "house_number_addition",
                    "id",
                ],
                name="address_street_order",
            ),
            models.Index(fields=["municipality", "neighbourhood"], name="address_neighbourhood"),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: object, **kwargs: object) -> None:
        self.is_habitable_use = is_habitable(self.use_purposes)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def house_number_full(self) -> str:
        suffix = self.house_letter + (f"-{self.house_number_addition}" if self.house_number_addition else "")
        return f"{self.house_number}{suffix}"

    @property
    def postcode_display(self) -> str:
        return f"{self.postcode[:4]} {self.postcode[4:]}" if len(self.postcode) == 6 else self.postcode

    @property
    def label(self) -> str:
        return f"{self.street} {self.house_number_full}, {self.postcode_display} {self.town}".replace(
            "  ", " "
        )
