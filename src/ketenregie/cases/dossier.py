"""The hand-over dossier: one PDF (WeasyPrint) with the case, and a ZIP with that PDF and the attachments.

The dossier holds only what the recipient's data-sharing agreement allows: a category the agreement
does not list is left out of both the PDF and the ZIP, and the cover page says so. WeasyPrint may not
fetch anything: photos are embedded as data URIs and every other URL is refused.

Every attachment goes in as core.uploads makes it harmless: photos encoded anew, PDFs with active content
left out (and named on the cover). New uploads are stored that way already; this also covers the files
that were stored before.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ketenregie.cases import history
from ketenregie.cases.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    DataCategory,
    DataSharingAgreement,
    Finding,
    FirstRegistrationForm,
    Handover,
    Measure,
)
from ketenregie.core.models import Organisation
from ketenregie.core.uploads import sanitized
from ketenregie.signals.models import SignalAttachment


@dataclass(frozen=True)
class Dossier:
    pdf: bytes
    zip: bytes
    attachment_count: int
    filename: str
    # {finding id: version}: which version of each finding the dossier carried.
    finding_versions: dict[str, int]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.zip).hexdigest()


Attachment = CaseAttachment | SignalAttachment


def _data_uri(attachment: Attachment, data: bytes) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f"data:{attachment.content_type};base64,{encoded}"


def _harmless(attachment: Attachment) -> bytes | None:
    with attachment.file.open("rb") as handle:
        data = handle.read()
    try:
        return sanitized(data, content_type=attachment.content_type, name=attachment.original_name)
    except ValidationError:
        return None


def dossier_context(
    *,
    case: Case,
    categories: frozenset[str],
    recipient: Organisation,
    agreement: DataSharingAgreement,
    prepared_by: str,
    note: str = "",
) -> dict[str, Any]:
    sees = {category: category in categories for category in DataCategory.values}
    findings = (
        list(
            Finding.objects.filter(case=case)
            .select_related("address", "recorded_by_organisation")
            .order_by("found_on", "id")
        )
        if sees[DataCategory.FINDINGS]
        else []
    )
    signals = list(case.signals.select_related("category__parent", "address").order_by("received_at"))
    attachments: list[Attachment] = []
    if sees[DataCategory.ATTACHMENTS]:
        attachments.extend(CaseAttachment.objects.filter(case=case).order_by("uploaded_at", "id"))
        # The reporters' photos belong to the meldingen: shared only when the meldingen are.
        if sees[DataCategory.SIGNALS]:
            attachments.extend(
                SignalAttachment.objects.filter(signal__in=signals)
                .select_related("signal")
                .order_by("uploaded_at", "id")
            )
    contents = {a: data for a in attachments if (data := _harmless(a)) is not None}
    shared = [a for a in attachments if a in contents]
    return {
        "case": case,
        "recipient": recipient,
        "agreement": agreement,
        "sees": sees,
        "shared_labels": [label for value, label in DataCategory.choices if value in categories],
        "withheld_labels": [label for value, label in DataCategory.choices if value not in categories],
        "prepared_by": prepared_by,
        "prepared_at": timezone.localtime(),
        "note": note,
        "participants": list(
            case.participants.select_related("organisation").order_by("role", "organisation__name")
        ),
        "addresses": list(
            case.case_addresses.select_related("address__neighbourhood").order_by("position", "id")
        ),
        "signals": signals if sees[DataCategory.SIGNALS] else [],
        "signal_count": len(signals),
        "reporters": [s for s in signals if s.reporter_name or s.reporter_email or s.reporter_phone]
        if sees[DataCategory.REPORTER]
        else [],
        "findings": findings,
        "registration_forms": list(
            FirstRegistrationForm.objects.filter(case=case)
            .select_related("address")
            .order_by("drawn_up_on", "id")
        )
        if sees[DataCategory.PERSONS]
        else [],
        "measures": list(
            Measure.objects.filter(case=case)
            .select_related("address", "handed_to")
            .order_by("issued_on", "id")
        )
        if sees[DataCategory.MEASURES]
        else [],
        "photos": [(a, _data_uri(a, contents[a])) for a in shared if a.is_image],
        "documents": [a for a in shared if not a.is_image],
        "refused_attachments": [a for a in attachments if a not in contents],
        "timeline": list(
            CaseEvent.objects.filter(case=case, data_category__in=["", *categories]).order_by(
                "occurred_at", "id"
            )
        ),
        "attachments": shared,
        "contents": contents,
    }


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override("nl"):
        html = render_to_string("cases/dossier.html", context)
    # Only data: URIs (the embedded photos); no file or network access from inside a dossier.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())


def build_dossier(
    *,
    case: Case,
    categories: frozenset[str],
    recipient: Organisation,
    agreement: DataSharingAgreement,
    prepared_by: str,
    note: str = "",
) -> Dossier:
    context = dossier_context(
        case=case,
        categories=categories,
        recipient=recipient,
        agreement=agreement,
        prepared_by=prepared_by,
        note=note,
    )
    pdf = render_pdf(context)
    stem = f"dossier-{case.reference}"
    manifest: dict[str, Any] = {
        "case": case.reference,
        "recipient": recipient.name,
        "agreement": agreement.name,
        "legal_basis": agreement.legal_basis,
        "purpose": agreement.purpose,
        "data_categories": sorted(categories),
        "prepared_by": prepared_by,
        "prepared_at": context["prepared_at"].isoformat(),
        "findings": [{"id": f.pk, "version": f.version} for f in context["findings"]],
        "files": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.pdf", pdf)
        manifest["files"].append({"name": f"{stem}.pdf", "sha256": hashlib.sha256(pdf).hexdigest()})
        for index, attachment in enumerate(context["attachments"], start=1):
            data = context["contents"][attachment]
            name = f"bijlagen/{index:02d}-{attachment.original_name}"
            archive.writestr(name, data)
            manifest["files"].append({"name": name, "sha256": hashlib.sha256(data).hexdigest()})
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return Dossier(
        pdf=pdf,
        zip=buffer.getvalue(),
        attachment_count=len(context["attachments"]),
        filename=stem,
        finding_versions={str(f.pk): f.version for f in context["findings"]},
    )


def findings_handed_over(handover: Handover) -> list[Finding]:
    """The findings as the hand-over's dossier carried them: a later change does not alter what was sent."""
    versions = handover.finding_versions or {}
    findings = Finding.objects.filter(case_id=handover.case_id, pk__in=[int(pk) for pk in versions])
    return [
        history.as_of(finding, versions[str(finding.pk)])
        for finding in findings.select_related("address", "recorded_by_organisation").order_by(
            "found_on", "id"
        )
    ]
