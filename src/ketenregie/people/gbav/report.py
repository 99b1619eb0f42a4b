"""What an import of a GBA-V extract did, for the terminal and the import page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class GbavReport:
    persons_read: int = 0
    persons_created: int = 0
    persons_updated: int = 0
    persons_unchanged: int = 0
    persons_elsewhere: int = 0
    residences_created: int = 0
    residences_updated: int = 0
    residences_removed: int = 0
    rni_labour_migrants_created: int = 0
    municipalities_created: list[str] = field(default_factory=list)
    unknown_municipality_codes: list[str] = field(default_factory=list)
    incomplete_addresses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def report_lines(report: GbavReport) -> list[str]:
    """The report as lines for a terminal or a page."""
    lines = [
        _(
            "%(read)s person records read; %(created)s new, %(updated)s changed, %(unchanged)s unchanged; "
            "%(elsewhere)s registered in another municipality skipped."
        )
        % {
            "read": f"{report.persons_read:,}",
            "created": f"{report.persons_created:,}",
            "updated": f"{report.persons_updated:,}",
            "unchanged": f"{report.persons_unchanged:,}",
            "elsewhere": f"{report.persons_elsewhere:,}",
        },
        _("Residence periods: %(created)s new, %(updated)s changed, %(removed)s removed as incorrect.")
        % {
            "created": f"{report.residences_created:,}",
            "updated": f"{report.residences_updated:,}",
            "removed": f"{report.residences_removed:,}",
        },
    ]
    if report.municipalities_created:
        lines.append(
            _("Municipalities created: %(list)s.") % {"list": ", ".join(report.municipalities_created)}
        )
    if report.unknown_municipality_codes:
        lines.append(
            _("Not in the municipality code list (created with a placeholder name): %(list)s.")
            % {"list": ", ".join(report.unknown_municipality_codes)}
        )
    if report.incomplete_addresses:
        lines.append(
            _(
                "%(count)d addresses named in the BRP but missing from the register "
                "were created as incomplete:"
            )
            % {"count": len(report.incomplete_addresses)}
        )
        lines.extend(f"  {label}" for label in report.incomplete_addresses)
    lines.extend(report.notes)
    if report.warnings:
        lines.append(_("%(count)d values were read with a warning:") % {"count": len(report.warnings)})
        lines.extend(f"  {warning}" for warning in report.warnings)
    return lines
