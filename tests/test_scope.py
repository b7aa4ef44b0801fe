"""The scope rule: ДОН sees the city, an РУО its district, a school itself; nobody more."""

from portal.accounts.models import AuditEvent, User
from portal.institutions.models import Institution, Kind
from portal.institutions.scope import CITY, DISTRICT, NO_SCOPE, SCHOOL, scope_of


def test_it_gives_each_role_its_scope(world):
    assert scope_of(world.don_official).level == CITY
    assert scope_of(world.obolon_official) == scope_of(world.obolon_staff)
    assert scope_of(world.obolon_official).level == DISTRICT
    assert scope_of(world.obolon_director).level == SCHOOL
    assert scope_of(world.obolon_director).institution_id == world.obolon_school.pk


def test_it_shows_the_department_every_institution(world):
    visible = Institution.objects.visible_to(world.don_official)
    assert visible.count() == Institution.objects.count()


def test_it_shows_a_district_office_only_its_district(world):
    visible = Institution.objects.visible_to(world.obolon_official)
    assert world.obolon in visible
    assert world.obolon_school in visible
    assert world.darnytsia_school not in visible
    assert world.darnytsia not in visible
    assert world.city not in visible
    assert set(visible.values_list("district_id", flat=True)) == {world.obolon.pk}
    assert (
        visible.filter(kind=Kind.SCHOOL).count() == Institution.objects.schools().filter(district=world.obolon).count()
    )


def test_it_shows_a_school_only_itself(world):
    assert list(Institution.objects.visible_to(world.obolon_director)) == [world.obolon_school]
    assert list(Institution.objects.visible_to(world.obolon_deputy)) == [world.obolon_school]


def test_it_applies_the_same_rule_to_objects_of_institutions(world):
    obolon_logins = set(User.objects.visible_to(world.obolon_official).values_list("username", flat=True))
    assert world.obolon_director.username in obolon_logins
    assert world.obolon_staff.username in obolon_logins
    assert world.darnytsia_director.username not in obolon_logins
    assert world.don_official.username not in obolon_logins
    director_sees = set(User.objects.visible_to(world.obolon_director))
    assert director_sees == {world.obolon_director, world.obolon_deputy}


def test_it_scopes_the_audit_log(world):
    events = AuditEvent.objects.visible_to(world.obolon_official)
    assert events.exists()
    assert not events.exclude(institution__district=world.obolon).exists()
    assert AuditEvent.objects.visible_to(world.darnytsia_director).filter(institution=world.obolon_school).count() == 0


def test_it_shows_nothing_to_the_anonymous_inactive_and_unattached(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert Institution.objects.visible_to(AnonymousUser()).count() == 0
    world.obolon_director.is_active = False
    assert scope_of(world.obolon_director) is NO_SCOPE
    loose = django_user_model.objects.create_user("loose", password="x")
    assert Institution.objects.visible_to(loose).count() == 0
    assert User.objects.visible_to(loose).count() == 0


def test_it_lets_a_superuser_see_the_city(db, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    assert Institution.objects.visible_to(admin).count() == Institution.objects.count()


def test_scope_contains_agrees_with_the_queryset(world):
    for user in (world.don_official, world.obolon_official, world.obolon_director, world.darnytsia_director):
        scope = scope_of(user)
        visible = set(Institution.objects.visible_to(user).values_list("pk", flat=True))
        for institution in (world.city, world.obolon, world.darnytsia, world.obolon_school, world.darnytsia_school):
            assert scope.contains(institution) == (institution.pk in visible), (user, institution)


def test_a_scope_knows_the_district_it_lies_in(world):
    assert scope_of(world.don_official).district_id is None
    assert scope_of(world.obolon_official).district_id == world.obolon.pk
    assert scope_of(world.obolon_director).district_id == world.obolon.pk
    assert scope_of(world.darnytsia_director).district_id == world.darnytsia.pk
