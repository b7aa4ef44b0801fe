"""The people in the tests, on the real Kyiv register.

A department (ДОН) official, an official of the Оболонський РУО, a director of a school in
Оболонський and a director of a school in Дарницький, and a few more for the edge cases.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from portal.accounts.models import Position, User
from portal.accounts.services import create_account
from portal.institutions.models import Institution, Kind

PASSWORD = "Kyiv-school-2026"
OBOLON_KOATUU = "8038000000"
DARNYTSIA_KOATUU = "8036300000"


def district(koatuu: str) -> Institution:
    return Institution.objects.get(kind=Kind.DISTRICT, koatuu=koatuu)


def working_schools(district: Institution):
    return Institution.objects.schools().working().filter(district=district).order_by("sort_name")


def person(institution: Institution, position: str, name: str = "") -> User:
    """An activated account with the known test password (as after the first login)."""
    user, _password = create_account(institution, position, full_name=name)
    user.password = make_password(PASSWORD)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user


@dataclass
class World:
    city: Institution
    obolon: Institution
    darnytsia: Institution
    obolon_school: Institution
    obolon_school_2: Institution
    darnytsia_school: Institution
    don_official: User
    don_editor: User
    don_approver: User
    obolon_editor: User
    obolon_official: User
    obolon_staff: User
    darnytsia_official: User
    obolon_director: User
    obolon_deputy: User
    darnytsia_director: User

    def __getitem__(self, name):
        return getattr(self, name)


def build_world() -> World:
    city = Institution.objects.get(kind=Kind.CITY)
    obolon, darnytsia = district(OBOLON_KOATUU), district(DARNYTSIA_KOATUU)
    obolon_school, obolon_school_2 = working_schools(obolon)[:2]
    darnytsia_school = working_schools(darnytsia)[0]
    return World(
        city=city,
        obolon=obolon,
        darnytsia=darnytsia,
        obolon_school=obolon_school,
        obolon_school_2=obolon_school_2,
        darnytsia_school=darnytsia_school,
        don_official=person(city, Position.CITY_STAFF, "Олена Коваленко"),
        don_editor=person(city, Position.CITY_EDITOR, "Ігор Мельник"),
        don_approver=person(city, Position.CITY_APPROVER, "Світлана Романенко"),
        obolon_official=person(obolon, Position.DISTRICT_HEAD, "Наталія Бондар"),
        obolon_staff=person(obolon, Position.DISTRICT_STAFF, "Андрій Ткаченко"),
        obolon_editor=person(obolon, Position.DISTRICT_EDITOR, "Юлія Кузьменко"),
        darnytsia_official=person(darnytsia, Position.DISTRICT_HEAD, "Петро Шевчук"),
        obolon_director=person(obolon_school, Position.DIRECTOR, "Оксана Кравчук"),
        obolon_deputy=person(obolon_school, Position.DEPUTY, "Марія Олійник"),
        darnytsia_director=person(darnytsia_school, Position.DIRECTOR, "Василь Поліщук"),
    )
