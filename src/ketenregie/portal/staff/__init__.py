"""The staff pages about the portal under /app/portal/: its information pages and its self-service reports.

They speak to staff, in Dutch, so their strings belong in the staff catalogue: the portal's own
ten-language catalogue leaves out this package and templates/portal/staff/ (see ``make messages``)."""
