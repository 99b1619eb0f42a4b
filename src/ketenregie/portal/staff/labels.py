"""Staff labels for the portal's records (the portal app's own labels are untranslated English)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ketenregie.portal.models import CodeChannel, Flag, InfoTopic, ReporterKind, ReviewStatus

FLAG_LABELS: dict[str, Any] = {
    Flag.OVER_FLOOR_AREA_NORM: _("more people than the floor-area norm allows"),
    Flag.OVER_CAPACITY: _("more people than the housing location's capacity"),
    Flag.NON_RESIDENTIAL: _("address has no residential or lodging use"),
    Flag.DATE_CONFLICT: _("moving date before the current registered address"),
    Flag.CONTACT_REPLACED: _("earlier contact details replaced"),
    Flag.NOT_REGISTERED: _("new person, not registered in the BRP or RNI"),
}
TOPIC_LABELS: dict[str, Any] = {
    InfoTopic.REGISTRATION: _("registration in the BRP and RNI"),
    InfoTopic.DIGID: _("DigiD"),
    InfoTopic.HOUSING: _("housing rights and rental contracts"),
    InfoTopic.WORK: _("work and pay"),
    InfoTopic.HEALTH: _("health insurance"),
    InfoTopic.HELP: _("where to get help"),
    InfoTopic.INFORMATION_POINT: _("the information point: address and opening hours"),
    InfoTopic.OTHER: _("other"),
}
REPORTER_LABELS: dict[str, Any] = {
    ReporterKind.SELF: _("the labour migrant"),
    ReporterKind.EMPLOYER: _("the employer, with the worker's consent"),
    ReporterKind.GROUP: _("the employer, in a group registration"),
}
REVIEW_LABELS: dict[str, Any] = {
    ReviewStatus.NOT_NEEDED: _("no check needed"),
    ReviewStatus.OPEN: _("to be checked"),
    ReviewStatus.HANDLED: _("checked"),
}
CHANNEL_LABELS: dict[str, Any] = {CodeChannel.EMAIL: _("e-mail"), CodeChannel.SMS: _("text message (SMS)")}
