"""Importing a GBA-V extract into people and residence periods: all records or none.

Two passes over the file. The first validates every record and reports every problem with its row
number and element; a file with any problem writes nothing. The second writes, in one transaction,
per person: the person (matched on A-number, else BSN), and its address holdings in the order the
BRP records them, with the occupancy bounds of ``people.occupancy`` worked out. Importing the same
file twice changes nothing; a newer extract updates the person and adds holdings, keeping the ones
stored before (a holding the newer extract marks incorrect, 84.10, is removed).

Each person goes to the municipality (tenant) named by its current municipality of registration
(08.09.10); municipalities are created from the code list as needed. A holding in the tenant's own
municipality refers to the address register: a BAG addressable object that the register lacks, or
a Dutch address without BAG identification, is created as an incomplete address and reported.
Holdings abroad or in another municipality keep what the BRP says on the residence itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.bulk import rebuilt_afterwards
from ketenregie.core.imports import MAX_REPORTED_ERRORS, ImportRejected, RowError
from ketenregie.core.models import AuditAction, Municipality
from ketenregie.core.municipality_codes import ensure_municipality, lookup
from ketenregie.people.gbav.records import (
    PersonRecord,
    Problems,
    open_text,
    parse_record,
    read_raw_records,
)
from ketenregie.people.gbav.report import GbavReport
from ketenregie.people.gbav.rni import RniFacts, mark_rni_stays, rni_facts
from ketenregie.people.gbav.writer import Writer
from ketenregie.people.models import (
    Person,
    Residence,
)
from ketenregie.people.verification import verify_stay_addresses_by_brp

CHUNK = 2000
PROGRESS_EVERY = 50_000
# From this many records on, an extract at least as large as the people table is loaded with the
# tables' secondary indexes and foreign keys built afterwards (see ``core.bulk.rebuilt_afterwards``).
BULK_FROM = 50_000
# Kept during such a load: merging a newer extract looks up the stored holdings of each person.
BULK_KEEP_INDEXES = ("residence_person_start",)
PERSON_FIELDS = (
    "a_number",
    "bsn",
    "given_names",
    "surname_prefix",
    "surname",
    "birth_date",
    "birth_date_raw",
    "brp_nationality_code",
    "nationality",
    "secrecy_indicator",
    "is_secret",
    "suspended_on",
    "suspended_on_raw",
    "suspension_reason",
    "registration_municipality_code",
    "rni",
    "registration_status",
)
RESIDENCE_FIELDS = (
    "address_id",
    "address_function",
    "sequence",
    "starts_on_raw",
    "declaration",
    "municipality_code",
    "bag_object_id",
    "bag_address_id",
    "brp_address",
    "country_code",
    "foreign_address_line1",
    "foreign_address_line2",
    "foreign_address_line3",
    "investigation_code",
    "investigation_start_raw",
    "investigation_end_raw",
    "rni_participant",
    "rni_treaty",
    "source",
)

Source = Path | bytes
Progress = Callable[[str], None]


def _open(source: Source) -> IO[str]:
    if isinstance(source, Path):
        return open_text(source.open("rb"))
    return open_text(source)


def _records(source: Source, found: Problems | None = None) -> Iterator[PersonRecord]:
    with _open(source) as stream:
        for raw, errors in read_raw_records(stream):
            if found is not None:
                found.errors.extend(errors)
            if raw is None:
                continue
            record, problems = parse_record(raw)
            if found is not None:
                found.errors.extend(problems.errors)
                found.warnings.extend(problems.warnings)
            if record is not None:
                yield record


def _estimated_records(source: Source) -> int:
    """Roughly how many person records the extract holds: the lines whose first column (the record
    id) is filled. Only to choose how to load; a quoted line break may make it a little off."""
    count = 0
    previous = b"\n"  # the file starts a line
    with nullcontext(source) if isinstance(source, bytes) else source.open("rb") as data:
        blocks = iter((data,)) if isinstance(data, bytes) else iter(lambda: data.read(1 << 20), b"")
        for block in blocks:
            # Each newline followed by something other than ; or another newline starts a record;
            # a newline at the end of a block is counted with the next block.
            text = previous + block
            count += text.count(b"\n") - text.count(b"\n;") - text.count(b"\n\n") - text.endswith(b"\n")
            previous = block[-1:]
    return count


def _bulk(source: Source) -> AbstractContextManager[None]:
    if connection.vendor != "postgresql":
        return nullcontext()
    estimate = _estimated_records(source)
    # Rebuilding the indexes of a table much larger than the extract would cost more than it saves.
    if estimate < BULK_FROM or estimate < _stored_people():
        return nullcontext()
    return rebuilt_afterwards([Person, Residence], keep_indexes=BULK_KEEP_INDEXES)


def _stored_people() -> float:
    """PostgreSQL's estimate of the rows in the people table (all municipalities); no count(*)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Person._meta.db_table])
        row = cursor.fetchone()
    return max(row[0], 0) if row else 0


def import_gbav(
    source: Source, *, municipality_code: str | None = None, progress: Progress = lambda message: None
) -> GbavReport:
    """Import a GBA-V extract (a path or the file's bytes); raises ImportRejected on any problem.

    One pass: records are validated and written a chunk at a time inside one transaction. After the
    first problem nothing more is written, the rest is still checked so the report is complete, and
    the transaction is rolled back: all records or none.
    """
    report = GbavReport()
    problems = Problems()
    errors = problems.errors
    seen: dict[str, int] = {}
    non_residents: dict[str, RniFacts] = {}
    skipped_rows = unknown_starts = 0
    with transaction.atomic(), _bulk(source):
        writers: dict[str, Writer] = {}
        batch: dict[str, list[PersonRecord]] = defaultdict(list)

        def flush(code: str) -> None:
            if code not in writers:
                writers[code] = Writer(_tenant(code, report), report)
            writers[code].write(batch.pop(code))

        for record in _records(source, problems):
            report.persons_read += 1
            if report.persons_read % PROGRESS_EVERY == 0:
                progress(_("read %(count)s person records") % {"count": f"{report.persons_read:,}"})
            first = seen.setdefault(f"{record.municipality_code}:{record.key}", record.row)
            if first != record.row:
                errors.append(
                    RowError(
                        record.row,
                        "01.01.10",
                        _("The same person (%(key)s) already appears on row %(row)d.")
                        % {"key": record.key, "row": first},
                    )
                )
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
            # Read even when the extract is imported for one municipality: the rule is about people
            # registered in the RNI, whose records go to the RNI's own tenant.
            if (facts := rni_facts(record)) is not None:
                non_residents[facts[0]] = facts[1]
            if municipality_code and record.municipality_code != municipality_code:
                report.persons_elsewhere += 1
                continue
            skipped_rows += record.skipped_rows
            unknown_starts += sum(h.start.is_unknown for h in record.holdings)
            if errors:
                continue
            batch[record.municipality_code].append(record)
            if len(batch[record.municipality_code]) >= CHUNK:
                flush(record.municipality_code)
        if not errors and report.persons_read == 0:
            errors.append(RowError(0, "", _("The file holds no person records.")))
        if errors:
            raise ImportRejected(errors[:MAX_REPORTED_ERRORS])
        for code in list(batch):
            flush(code)
        mark_rni_stays(non_residents, report, municipality_code=municipality_code)
        for writer in writers.values():
            # What partners reported and the BRP now confirms becomes verified (by the BRP).
            verify_stay_addresses_by_brp(actor=Actor.system(writer.municipality, name="import-brp"))
            audit.record_bulk_change(
                Actor.system(writer.municipality, name="import-brp"),
                model=Person,
                action=AuditAction.IMPORT,
                count=writer.created + writer.updated,
                detail={"created": writer.created, "updated": writer.updated, "format": "gbav"},
            )
    report.warnings = [str(w) for w in sorted(problems.warnings)]
    if skipped_rows:
        report.notes.append(
            _("%(count)d history rows without an address were skipped.") % {"count": skipped_rows}
        )
    if unknown_starts:
        report.notes.append(
            _(
                "%(count)d address holdings have a wholly unknown start date; "
                "their people are possible residents."
            )
            % {"count": unknown_starts}
        )
    return report


def _tenant(code: str, report: GbavReport) -> Municipality:
    municipality, created = ensure_municipality(code)
    if created:
        report.municipalities_created.append(f"{code} {municipality.name}")
        if lookup(code) is None:
            report.unknown_municipality_codes.append(code)
    return municipality
