"""The functional administration against every role and both municipalities.

Every registered model's pages (list, add, change, history, delete, password, autocomplete) are opened
by every role of Rotterdam and by Zoetermeer's administrator, on Rotterdam's and on Zoetermeer's records.
Only Rotterdam's administrator gets in, and never sees or touches anything of Zoetermeer's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from ketenregie.core.admin import TenantAdmin, TenantInline, site
from ketenregie.core.models import Membership, Municipality, Norms, Organisation, Role, User
from ketenregie.infopoint.models import InformationPoint
from ketenregie.monitoring.models import Indicator, MigrationFigure, ProgrammeLine, ReceptionLocation
from ketenregie.monitoring.services import sync_catalogue
from ketenregie.signals.models import SignalCategory
from tests import factories as f
from tests.conftest import english_client
from tests.factories import PASSWORD

OWN = "RDAMEIGEN"
FOREIGN = "ZTMGEHEIM"
ROLES = list(Role.values)


def _user(municipality: Municipality, tag: str) -> User:
    user = f.UserFactory(username=f"{tag.lower()}-user", municipality=municipality, first_name=tag)
    organisation = f.OrganisationFactory(municipality=municipality, name=f"{tag} gebruikersafdeling")
    Membership.objects.create(user=user, organisation=organisation, role=Role.POLICY)
    return user


def _membership(municipality: Municipality, tag: str) -> Membership:
    organisation = f.OrganisationFactory(municipality=municipality, name=f"{tag} partnerafdeling")
    user = f.UserFactory(username=f"{tag.lower()}-member", municipality=municipality)
    return Membership.objects.create(user=user, organisation=organisation, role=Role.ENFORCEMENT)


def _indicator(municipality: Municipality, tag: str) -> Indicator:
    sync_catalogue(municipality=municipality)
    indicator = Indicator.objects.filter(municipality=municipality).order_by("pk").first()
    assert indicator is not None
    Indicator.objects.filter(municipality=municipality).update(name=f"{tag} indicator")
    indicator.refresh_from_db()
    return indicator


# One record per registered model, named after its municipality so a leak shows in any page's text.
BUILDERS: dict[type[Model], Callable[[Municipality, str], Model]] = {
    Organisation: lambda m, tag: f.OrganisationFactory(municipality=m, name=f"{tag} afdeling"),
    User: _user,
    Membership: _membership,
    Norms: lambda m, tag: Norms.objects.get_or_create(municipality=m)[0],
    InformationPoint: lambda m, tag: f.InformationPointFactory(municipality=m, name=f"{tag} infopunt"),
    SignalCategory: lambda m, tag: SignalCategory.objects.create(
        municipality=m, code=f"{tag.lower()}-cat", name=f"{tag} categorie", deadline_days=14
    ),
    f.AgreementFactory._meta.get_model_class(): lambda m, tag: f.AgreementFactory(
        municipality=m, name=f"{tag} convenant"
    ),
    Indicator: _indicator,
    ProgrammeLine: lambda m, tag: ProgrammeLine.objects.create(
        municipality=m, programme=f"{tag} programma", number=1, name=f"{tag} lijn", goal="Grip"
    ),
    MigrationFigure: lambda m, tag: MigrationFigure.objects.create(
        municipality=m,
        motive="labour",
        measure="residents",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2026, 1, 1),
        realised=10,
        source=f"{tag} bron",
    ),
    ReceptionLocation: lambda m, tag: ReceptionLocation.objects.create(
        municipality=m, name=f"{tag} opvang", motive="asylum", kind="lasting", capacity=10
    ),
}


def object_urls(obj: Model) -> dict[str, str]:
    opts = obj._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    urls = {
        "change": reverse(f"{prefix}_change", args=[obj.pk]),
        "history": reverse(f"{prefix}_history", args=[obj.pk]),
        "delete": reverse(f"{prefix}_delete", args=[obj.pk]),
    }
    if isinstance(obj, User):
        urls["password"] = reverse("admin:auth_user_password_change", args=[obj.pk])
    return urls


def model_urls(model: type[Model]) -> dict[str, str]:
    opts = model._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    return {"changelist": reverse(f"{prefix}_changelist"), "add": reverse(f"{prefix}_add")}


@pytest.fixture
def records(
    municipality: Municipality, other_municipality: Municipality
) -> dict[str, dict[type[Model], Model]]:
    return {
        "own": {model: build(municipality, OWN) for model, build in BUILDERS.items()},
        "foreign": {model: build(other_municipality, FOREIGN) for model, build in BUILDERS.items()},
    }


@pytest.fixture
def foreign_admin(other_municipality: Municipality) -> User:
    return f.persona(Role.ADMIN, other_municipality, username="zoetermeer-admin")


def client_for(user: User) -> Client:
    client = english_client()
    client.force_login(user)
    return client


def autocomplete_url(term: str = "") -> str:
    return (
        reverse("admin:autocomplete") + f"?app_label=core&model_name=membership&field_name=user&term={term}"
    )


def test_every_model_in_the_administration_is_scoped_to_the_tenant() -> None:
    for model, model_admin in site._registry.items():
        assert isinstance(model_admin, TenantAdmin), model
        assert not model_admin.raw_id_fields, model
        for inline in model_admin.inlines:
            assert issubclass(inline, TenantInline), inline
            assert not inline.raw_id_fields, inline
    assert set(BUILDERS) == set(site._registry), "add a record of the new model to BUILDERS"


def test_the_administrator_opens_every_page_of_their_own_municipality(
    records: dict[str, dict[type[Model], Model]], personas: dict[str, User]
) -> None:
    client = client_for(personas[Role.ADMIN])
    for model, obj in records["own"].items():
        model_admin = site._registry[model]
        for kind, url in model_urls(model).items():
            expected = 403 if kind == "add" and not model_admin.has_add_permission(_request(client)) else 200
            response = client.get(url)
            assert response.status_code == expected, f"{kind} {model.__name__}"
            assert FOREIGN not in response.content.decode(), f"{kind} {model.__name__} shows Zoetermeer"
        for kind, url in object_urls(obj).items():
            response = client.get(url)
            # Nothing is deleted through the administration.
            assert response.status_code == (403 if kind == "delete" else 200), f"{kind} {model.__name__}"
            assert FOREIGN not in response.content.decode(), f"{kind} {model.__name__} shows Zoetermeer"


def _request(client: Client) -> Any:
    """A request as the logged-in administrator, for asking a ModelAdmin about its permissions."""
    from django.test import RequestFactory

    from ketenregie.core.actor import actor_for_user

    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    request.actor = actor_for_user(request.user)  # type: ignore[attr-defined]
    return request


@pytest.mark.parametrize("who", ["foreign_admin", *ROLES])
def test_no_one_else_opens_a_page_or_reaches_a_record(
    who: str,
    records: dict[str, dict[type[Model], Model]],
    personas: dict[str, User],
    foreign_admin: User,
) -> None:
    client = client_for(foreign_admin if who == "foreign_admin" else personas[who])
    # Rotterdam's administrator against Zoetermeer's records, everyone else against Rotterdam's.
    targets = records["foreign"] if who == Role.ADMIN else records["own"]
    failures = []
    for model, obj in targets.items():
        for kind, url in object_urls(obj).items():
            response = client.get(url)
            if kind == "delete":
                # Nothing is deleted through the administration: refused before the record is looked up.
                ok = response.status_code == 403
            elif who in (Role.ADMIN, "foreign_admin"):
                # Not there: a redirect to the index with "does not exist", or a 404 for the password page.
                ok = response.status_code == 404 or (
                    response.status_code == 302 and response["Location"] == reverse("admin:index")
                )
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{kind} {model.__name__}: {response.status_code}")
        if who not in (Role.ADMIN, "foreign_admin"):
            for kind, url in model_urls(model).items():
                if client.get(url).status_code != 403:
                    failures.append(f"{kind} {model.__name__}")
    if who not in (Role.ADMIN, "foreign_admin"):
        for url in (reverse("admin:index"), autocomplete_url()):
            if client.get(url).status_code != 403:
                failures.append(url)
    assert not failures, f"{who}: {failures}"


def test_the_lists_filters_and_choices_show_nothing_of_another_municipality(
    records: dict[str, dict[type[Model], Model]], personas: dict[str, User]
) -> None:
    client = client_for(personas[Role.ADMIN])
    changelist = client.get(reverse("admin:core_membership_changelist"))
    filter_choices = [
        choice["display"]
        for spec in changelist.context["cl"].filter_specs
        for choice in spec.choices(changelist.context["cl"])
    ]
    assert f"{OWN} partnerafdeling" in filter_choices
    assert not [name for name in filter_choices if FOREIGN in str(name)]
    add = client.get(reverse("admin:core_membership_add"))
    assert set(add.context["adminform"].form.fields["organisation"].queryset) == set(
        Organisation.objects.filter(municipality=records["own"][Organisation].municipality)
    )
    for url in (
        reverse("admin:core_user_changelist") + f"?q={FOREIGN.lower()}",
        reverse("admin:signals_signalcategory_changelist"),
        reverse("admin:signals_signalcategory_add"),
        reverse("admin:monitoring_programmeline_add"),
        reverse("admin:cases_datasharingagreement_add"),
    ):
        assert FOREIGN not in client.get(url).content.decode(), url


def test_the_autocomplete_offers_only_users_of_the_own_municipality(
    records: dict[str, dict[type[Model], Model]], personas: dict[str, User]
) -> None:
    client = client_for(personas[Role.ADMIN])
    everyone = client.get(autocomplete_url()).json()["results"]
    names = {result["text"] for result in everyone}
    assert f"{OWN.lower()}-user" in names
    assert not [name for name in names if FOREIGN.lower() in name or name == "outsider"]
    assert client.get(autocomplete_url(FOREIGN.lower())).json()["results"] == []


def test_a_membership_for_a_user_of_another_municipality_is_refused(
    records: dict[str, dict[type[Model], Model]], personas: dict[str, User]
) -> None:
    foreign_user = records["foreign"][User]
    own_organisation = records["own"][Organisation]
    client = client_for(personas[Role.ADMIN])
    response = client.post(
        reverse("admin:core_membership_add"),
        {
            "user": foreign_user.pk,
            "organisation": own_organisation.pk,
            "role": Role.ENFORCEMENT,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=foreign_user, organisation=own_organisation).exists()
    # The add form filled in from the URL does not name the foreign user either.
    prefilled = client.get(reverse("admin:core_membership_add") + f"?user={foreign_user.pk}")
    assert foreign_user.username not in prefilled.content.decode()


def test_the_password_of_a_user_of_another_municipality_cannot_be_reset(
    records: dict[str, dict[type[Model], Model]], personas: dict[str, User]
) -> None:
    foreign_user = records["foreign"][User]
    client = client_for(personas[Role.ADMIN])
    url = reverse("admin:auth_user_password_change", args=[foreign_user.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "password1": "EenNieuwWachtwoord!42",
            "password2": "EenNieuwWachtwoord!42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 404
    foreign_user.refresh_from_db()
    assert check_password(PASSWORD, foreign_user.password)


def test_an_account_that_also_works_for_another_municipality_is_shown_but_not_changed(
    records: dict[str, dict[type[Model], Model]], personas: dict[str, User]
) -> None:
    shared = records["foreign"][User]
    Membership.objects.create(user=shared, organisation=records["own"][Organisation], role=Role.POLICY)
    client = client_for(personas[Role.ADMIN])
    assert client.get(reverse("admin:core_user_change", args=[shared.pk])).status_code == 200
    url = reverse("admin:auth_user_password_change", args=[shared.pk])
    response = client.post(
        url,
        {
            "password1": "EenNieuwWachtwoord!42",
            "password2": "EenNieuwWachtwoord!42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 403
    client.post(
        reverse("admin:core_user_change", args=[shared.pk]), {"username": shared.username, "is_active": ""}
    )
    shared.refresh_from_db()
    assert shared.is_active
    assert check_password(PASSWORD, shared.password)


def test_a_new_user_belongs_to_the_administrators_municipality(
    municipality: Municipality, personas: dict[str, User]
) -> None:
    client = client_for(personas[Role.ADMIN])
    response = client.post(
        reverse("admin:core_user_add"),
        {
            "username": "nieuwe-collega",
            "password1": "EenNieuwWachtwoord!42",
            "password2": "EenNieuwWachtwoord!42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="nieuwe-collega")
    assert user.municipality == municipality
    assert client.get(response["Location"]).status_code == 200
    # Still without a membership, the new account is in the membership form's choices.
    results = client.get(autocomplete_url("nieuwe")).json()["results"]
    assert [result["text"] for result in results] == ["nieuwe-collega"]
