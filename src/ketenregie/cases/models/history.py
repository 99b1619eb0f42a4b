"""Who owns a record in a case, and the earlier versions of a record that was changed.

A finding, measure, attachment or first-registration form belongs to the organisation that recorded it:
only that organisation changes it, so a partner can never overwrite what a municipal department
established (or one department another's). Every change keeps the values the record had before it, so
the case page can show what it said earlier and a hand-over dossier can say which version it carried.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel

if TYPE_CHECKING:
    from ketenregie.core.actor import Actor


class OwnedRecord:
    """The ownership rule for a record of a case, mixed into the models it applies to.

    ``owner_field`` names the foreign key to the recording organisation. A record without one (recorded
    by a background job, or before the field existed) belongs to the case's lead organisation.
    """

    owner_field: ClassVar[str] = "recorded_by_organisation"

    if TYPE_CHECKING:
        municipality_id: int
        case: Any

    @property
    def owner_organisation_id(self) -> int | None:
        owner_id: int | None = getattr(self, f"{self.owner_field}_id")
        return owner_id if owner_id is not None else self.case.owner_id

    def may_change(self, actor: Actor) -> bool:
        """Only members of the recording organisation, in its own municipality, change the record."""
        if actor.organisation is None or actor.municipality.pk != self.municipality_id:
            return False
        return self.owner_organisation_id == actor.organisation.pk


class RecordKind(models.TextChoices):
    FINDING = "finding", _("finding")
    MEASURE = "measure", _("measure")
    ATTACHMENT = "attachment", _("attachment")
    REGISTRATION_FORM = "registration_form", _("first-registration form")


class RecordVersionQuerySet(models.QuerySet["RecordVersion"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise RuntimeError("the history of a record is append-only")


class RecordVersion(TenantModel):
    """A record of a case as it was before a change: ``values`` holds version ``version`` in full.

    The current version lives in the record itself; together they give every version a dossier or the
    case page may need. Tagged with the data category of the record, so a partner reads only the history
    of what its agreement lets it see.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="record_versions", verbose_name=_("case")
    )
    record_kind = models.CharField(_("kind of record"), max_length=20, choices=RecordKind.choices)
    record_id = models.PositiveBigIntegerField(_("record"))
    version = models.PositiveIntegerField(_("version"))
    values = models.JSONField(_("values of this version"), encoder=DjangoJSONEncoder)
    changed_fields = models.JSONField(_("changed fields"), default=list)
    data_category = models.CharField(_("data category"), max_length=20)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    changed_by_name = models.CharField(_("by"), max_length=150)
    changed_by_organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    objects = RecordVersionQuerySet.as_manager()

    class Meta:
        ordering = ["record_kind", "record_id", "-version"]
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        constraints = [
            models.UniqueConstraint(
                fields=["record_kind", "record_id", "version"], name="record_version_unique"
            )
        ]
        indexes = [models.Index(fields=["case", "record_kind", "record_id"], name="record_version_case")]

    def __str__(self) -> str:
        return f"{self.record_kind} {self.record_id} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("the history of a record is append-only")
        super().save(*args, **kwargs)
