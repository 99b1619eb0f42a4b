"""The bodies of the meldingen API: what a melding looks like, and what a caller may send."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from ketenregie.api.fields import ResolvedCodeField, ResolvedIdField
from ketenregie.core.selectors import municipality_find
from ketenregie.places.selectors import address_find_by_id
from ketenregie.signals import selectors
from ketenregie.signals.intake import ReportedAddress, Reporter, SignalIntake
from ketenregie.signals.models import Signal, SignalChannel, SignalResult, SignalStatus

# The same answer for a code that is unknown, retired or another municipality's.
UNKNOWN_CATEGORY = "Onbekende categorie '{code}'."


class SignalSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    receivedAt = serializers.DateTimeField(source="received_at", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    categoryName = serializers.CharField(source="category.name", read_only=True)
    mainCategory = serializers.CharField(source="category.top_code", read_only=True)
    addressId = serializers.IntegerField(source="address_id", allow_null=True, read_only=True)
    address = serializers.SerializerMethodField()
    locationText = serializers.CharField(source="location_text", read_only=True)
    needsAddress = serializers.BooleanField(source="needs_address", read_only=True)
    resultNote = serializers.CharField(source="result_note", read_only=True)
    dueOn = serializers.DateField(source="due_on", read_only=True)
    overdue = serializers.SerializerMethodField()
    triagedAt = serializers.DateTimeField(source="triaged_at", allow_null=True, read_only=True)
    closedAt = serializers.DateTimeField(source="closed_at", allow_null=True, read_only=True)
    duplicateOf = serializers.IntegerField(source="duplicate_of_id", allow_null=True, read_only=True)
    suggestedCategory = serializers.SerializerMethodField()
    suggestionConfidence = serializers.FloatField(
        source="suggestion_confidence", allow_null=True, read_only=True
    )
    reporterInformedAt = serializers.DateTimeField(
        source="reporter_informed_at", allow_null=True, read_only=True
    )

    class Meta:
        model = Signal
        fields = [
            "id",
            "reference",
            "receivedAt",
            "channel",
            "category",
            "categoryName",
            "mainCategory",
            "description",
            "addressId",
            "address",
            "locationText",
            "needsAddress",
            "status",
            "result",
            "resultNote",
            "dueOn",
            "overdue",
            "triagedAt",
            "closedAt",
            "duplicateOf",
            "suggestedCategory",
            "suggestionConfidence",
            "reporterInformedAt",
            "version",
        ]
        read_only_fields = fields

    def get_address(self, signal: Signal) -> str | None:
        return signal.address.label if signal.address else None

    def get_overdue(self, signal: Signal) -> bool:
        return signal.is_overdue()

    def get_suggestedCategory(self, signal: Signal) -> str | None:
        return signal.suggested_category.code if signal.suggested_category else None


class ReportedAddressSerializer(serializers.Serializer):
    postcode = serializers.RegexField(r"^[1-9]\d{3}\s?[A-Za-z]{2}$", required=False, allow_blank=True)
    houseNumber = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=99999)
    houseLetter = serializers.CharField(required=False, allow_blank=True, max_length=1)
    houseNumberAddition = serializers.CharField(required=False, allow_blank=True, max_length=4)


class ReporterSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    language = serializers.ChoiceField(
        required=False, choices=["nl", "en", "pl", "ro", "bg", "lt", "hu", "uk", "pt", "es"], default="nl"
    )


class SignalSubmitSerializer(serializers.Serializer):
    municipality = serializers.RegexField(
        r"^\d{4}$", required=False, help_text="CBS code of the municipality; required without login."
    )
    category = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text="Category code."
    )
    description = serializers.CharField(min_length=10, max_length=5000)
    address = ReportedAddressSerializer(required=False)
    locationText = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reporter = ReporterSerializer(required=False)
    channel = serializers.ChoiceField(
        required=False,
        choices=[c for c in SignalChannel.values if c != SignalChannel.PARTNER],
        help_text="Staff only; the public channel is 'portal'.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The municipality (the caller's, or the one the code names for the public) and the category
        in it, resolved through their owners' selectors."""
        actor = self.context.get("actor")
        if actor is not None:
            municipality = actor.municipality
        elif not attrs.get("municipality"):
            raise serializers.ValidationError({"municipality": ["Geef de CBS-code van de gemeente."]})
        else:
            municipality = municipality_find(attrs["municipality"])
            if municipality is None:
                raise serializers.ValidationError({"municipality": ["Onbekende gemeentecode."]})
        code = attrs.get("category", "")
        category = selectors.category_by_code(municipality=municipality, code=code) if code else None
        if code and category is None:
            raise serializers.ValidationError({"category": [UNKNOWN_CATEGORY.format(code=code)]})
        return {**attrs, "municipality": municipality, "category": category}

    def intake(self) -> SignalIntake:
        """The validated body as the one intake record."""
        data = self.validated_data
        address = data.get("address") or {}
        reporter = data.get("reporter") or {}
        return SignalIntake(
            municipality=data["municipality"],
            description=data["description"],
            channel=data.get("channel", ""),
            category=data["category"],
            reported_address=ReportedAddress(
                postcode=(address.get("postcode") or "").replace(" ", "").upper(),
                house_number=address.get("houseNumber"),
                house_letter=address.get("houseLetter", ""),
                house_number_addition=address.get("houseNumberAddition", ""),
                text=data.get("locationText", ""),
            ),
            reporter=Reporter(
                name=reporter.get("name", ""),
                email=reporter.get("email", ""),
                phone=reporter.get("phone", ""),
                language=reporter.get("language", "nl"),
            ),
            public_source="api",
        )


# What the submitter of a melding gets back: enough to refer to it, nothing of its content.
class SignalReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    receivedAt = serializers.DateTimeField(source="received_at")
    status = serializers.CharField()
    needsAddress = serializers.BooleanField(
        source="needs_address", help_text="True when the address was not found; it will be resolved."
    )


def _category(context: Mapping[str, Any], code: str) -> Any:
    return selectors.category_by_code(municipality=context["actor"].municipality, code=code)


def _address(context: Mapping[str, Any], pk: int) -> Any:
    return address_find_by_id(actor=context["actor"], address_id=pk)


class SignalChangeSerializer(serializers.Serializer):
    category = ResolvedCodeField(required=False, max_length=60, resolve=_category, unknown=UNKNOWN_CATEGORY)
    addressId = ResolvedIdField(source="address", required=False, resolve=_address, unknown="Onbekend adres.")
    status = serializers.ChoiceField(required=False, choices=[SignalStatus.TRIAGED, SignalStatus.CLOSED])
    result = serializers.ChoiceField(required=False, choices=[r for r in SignalResult.values if r])
    resultNote = serializers.CharField(
        source="result_note", required=False, allow_blank=True, max_length=2000
    )


class SuggestSerializer(serializers.Serializer):
    text = serializers.CharField(min_length=1, max_length=5000)


class CategorySuggestionSerializer(serializers.Serializer):
    """A suggested category with the confidence of the suggestion; both null when there is none."""

    category = serializers.CharField(source="category.code", allow_null=True)
    confidence = serializers.SerializerMethodField()

    def get_confidence(self, suggestion: Any) -> float | None:
        return round(suggestion.confidence, 3)


class SignalReporterSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    language = serializers.CharField()
    organisation = serializers.CharField()
