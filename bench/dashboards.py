"""Benchmark: the three role dashboards served at "/" after login (ДОН, РУО, school director).

On the real Kyiv register (about 605 schools, with the МОН pupil statistics of 2020) and the
head accounts that provisioning creates, a good share of them marked as logged in, it measures
for the city (the ДОН account), the district (the Оболонський РУО account) and a school (the
director of a school in Оболонський):

- the time to render "/" through `django.test.Client` (force-logged-in): p50 and p95 in ms over
  N timed runs after a few warm-up requests;
- the SQL queries per request (`CaptureQueriesContext` on the default connection);

then adds synthetic schools («Синтетичний заклад № N», spread over the districts, with
provisioned accounts) and measures again, to show whether the query count grows with the
number of schools (`*_queries` against `*_queries_more_schools`; reported, not asserted).

    python -m bench.dashboards            # the whole register, 50 timed runs, 200 more schools
    python -m bench.dashboards --quick    # two districts' rows, 10 runs, 40 more schools

The data lives in a scratch database (see bench.common); PostgreSQL and Redis when
DATABASE_URL and REDIS_URL say so, else a temporary SQLite file.
"""

from __future__ import annotations

import csv
import random
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import bench_parser, emit, measure, query_samples, say, scratch_database, summary_ms

OBOLON_KOATUU = "8038000000"
# --quick imports only the register rows of these districts: Оболонський and Дарницький.
QUICK_KOATUU = (OBOLON_KOATUU, "8036300000")
KOATUU_COLUMN = "Код КОАТУУ"
LOGGED_IN_SHARE = 0.7
WARMUP = 3
QUERY_SAMPLES = 3
SEED = 20260101


def filtered_register(source: Path, koatuu: tuple[str, ...], out_dir: Path) -> Path:
    """A copy of the register CSV with only the rows of the given districts (header kept)."""
    target = out_dir / "register_quick.csv"
    with open(source, encoding="utf-8-sig", newline="") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        reader = csv.reader(src)
        writer = csv.writer(dst)
        header = next(reader)
        column = header.index(KOATUU_COLUMN)
        writer.writerow(header)
        for row in reader:
            if len(row) > column and row[column].strip() in koatuu:
                writer.writerow(row)
    return target


def provision(out_root: Path) -> int:
    """Provision the missing head accounts; the credentials files go to a directory deleted here."""
    from portal.accounts.services import provision_accounts

    out_dir = Path(tempfile.mkdtemp(prefix="credentials_", dir=out_root))
    try:
        return provision_accounts(out_dir=out_dir).count
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


def mark_logged_in(rng: random.Random, share: float) -> int:
    """Mark a share of the never-used accounts as logged in with their own password."""
    from django.utils import timezone

    from portal.accounts.models import User

    fresh = list(User.objects.filter(last_login__isnull=True).order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(fresh, round(len(fresh) * share))
    return User.objects.filter(pk__in=chosen).update(
        last_login=timezone.now() - timedelta(days=1), must_change_password=False
    )


def role_users():
    """The ДОН account, the Оболонський РУО account and a director of a working Оболонський school."""
    from django.utils import timezone

    from portal.accounts.models import Position, User
    from portal.institutions.models import Institution, Kind, Status

    obolon = Institution.objects.get(kind=Kind.DISTRICT, koatuu=OBOLON_KOATUU)
    accounts = User.objects.select_related("institution").order_by("username")
    users = {
        "city": accounts.filter(institution__kind=Kind.CITY).first(),
        "district": accounts.filter(institution=obolon).first(),
        "school": accounts.filter(
            institution__kind=Kind.SCHOOL,
            institution__district=obolon,
            institution__status=Status.WORKING,
            position=Position.DIRECTOR,
        )
        .order_by("institution__sort_name", "username")
        .first(),
    }
    missing = [role for role, user in users.items() if user is None]
    if missing:
        raise RuntimeError(f"No account for the role(s) {', '.join(missing)}: did provisioning run?")
    # As after the first login: otherwise the middleware redirects every page to the password change.
    User.objects.filter(pk__in=[u.pk for u in users.values()]).update(
        must_change_password=False, last_login=timezone.now()
    )
    return {role: User.objects.select_related("institution").get(pk=user.pk) for role, user in users.items()}, obolon


def add_synthetic_schools(count: int, rng: random.Random) -> int:
    """`count` clearly synthetic working schools, spread round-robin over the districts."""
    from portal.institutions.models import Institution, Kind, Status

    districts = list(Institution.objects.districts().order_by("sort_name"))
    for n in range(1, count + 1):
        district = districts[(n - 1) % len(districts)]
        name = f"Синтетичний заклад № {n}"
        Institution.objects.create(
            kind=Kind.SCHOOL,
            code=f"bench-{n}",
            name=name,
            short_name=name,
            status=Status.WORKING,
            institution_type="гімназія",
            ownership="Комунальна",
            koatuu=district.koatuu,
            katottg=district.katottg,
            managing_body=district.name,
            parent=district,
            district=district,
            pupils=rng.randint(200, 1500),
            classes=rng.randint(10, 50),
            stats_year=2020,
        )
    return count


class Dashboard:
    """One role's "/" page through the test client, logged in as `user`."""

    def __init__(self, role: str, user):
        from django.test import Client

        self.role = role
        self.user = user
        self.client = Client()
        self.client.force_login(user)

    def get(self):
        response = self.client.get("/")
        if response.status_code != 200:
            raise AssertionError(f"{self.role} dashboard: status {response.status_code}, expected 200")
        return response

    def queries(self) -> tuple[int, list[int]]:
        """Queries per request: the largest of a few samples, and all the samples."""
        return query_samples(self.get, QUERY_SAMPLES)

    def rows(self) -> int:
        """The table rows the page shows (districts for the city, schools for a district)."""
        html = self.get().content.decode()
        if self.role == "district":
            return html.count("data-filter-text=")
        if self.role == "city":
            return html.count('<th scope="row">')
        return 0


def run_round(dashboards: dict[str, Dashboard], runs: int, suffix: str, result: dict) -> None:
    for role, dashboard in dashboards.items():
        timings = measure(dashboard.get, runs=runs, warmup=WARMUP)
        stats = summary_ms(timings)
        queries, samples = dashboard.queries()
        rows = dashboard.rows()
        result[f"{role}_p50_ms{suffix}"] = stats["p50_ms"]
        result[f"{role}_p95_ms{suffix}"] = stats["p95_ms"]
        result[f"{role}_queries{suffix}"] = queries
        varying = "" if len(set(samples)) == 1 else f" (samples vary: {samples})"
        shown = f", {rows} table rows" if rows else ""
        say(
            f"  {role:<8} p50 {stats['p50_ms']:8.2f} ms  p95 {stats['p95_ms']:8.2f} ms  "
            f"max {max(timings):8.2f} ms  {queries} queries{varying}{shown}"
        )


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--runs", type=int, help="timed requests per dashboard (default 50, quick 10)")
    parser.add_argument("--more-schools", type=int, help="synthetic schools to add (default 200, quick 40)")
    args = parser.parse_args()
    runs = args.runs or (10 if args.quick else 50)
    more = args.more_schools if args.more_schools is not None else (40 if args.quick else 200)
    rng = random.Random(SEED)
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="bench_dashboards_") as tmp, scratch_database() as db:
        from django.conf import settings

        from portal.accounts.models import User
        from portal.institutions.models import Institution
        from portal.institutions.services import REGISTER_FILE, STATS_FILE, import_register, import_school_stats

        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        say(f"Dashboards benchmark{' (quick)' if args.quick else ''} on {db.describe()}")

        step = time.perf_counter()
        register = filtered_register(REGISTER_FILE, QUICK_KOATUU, Path(tmp)) if args.quick else REGISTER_FILE
        imported = import_register(register)
        stats = import_school_stats(STATS_FILE, 2020)
        schools = Institution.objects.schools().count()
        working = Institution.objects.schools().working().count()
        say(
            f"Register: {schools} schools ({working} working), {len(imported.unplaced)} rows unplaced; "
            f"statistics matched {stats.matched}; {time.perf_counter() - step:.1f} s"
        )

        step = time.perf_counter()
        provisioned = provision(Path(tmp))
        logged_in = mark_logged_in(rng, LOGGED_IN_SHARE)
        users, obolon = role_users()
        say(
            f"Accounts: {provisioned} provisioned, {logged_in} marked as logged in "
            f"({LOGGED_IN_SHARE:.0%}); {time.perf_counter() - step:.1f} s"
        )
        say(
            "Roles: "
            + ", ".join(f"{role} {user.username} ({user.institution.display_name})" for role, user in users.items())
        )

        dashboards = {role: Dashboard(role, user) for role, user in users.items()}
        result = {
            "bench": "dashboards",
            "quick": args.quick,
            "database": db.vendor,
            "cache": db.cache,
            "conn_max_age": db.conn_max_age,
            "schools": schools,
            "schools_working": working,
            "accounts": User.objects.count(),
            "runs": runs,
        }
        say(f"{schools} schools, {runs} timed runs per dashboard after {WARMUP} warm-up requests:")
        run_round(dashboards, runs, "", result)
        result["district_schools"] = Institution.objects.schools().filter(district=obolon).count()

        step = time.perf_counter()
        add_synthetic_schools(more, rng)
        provisioned_more = provision(Path(tmp))
        mark_logged_in(rng, LOGGED_IN_SHARE)
        schools_more = Institution.objects.schools().count()
        say(
            f"Added {more} synthetic schools ({provisioned_more} accounts provisioned); "
            f"{time.perf_counter() - step:.1f} s"
        )
        say(f"{schools_more} schools, the same runs again:")
        run_round(dashboards, runs, "_more_schools", result)
        result["schools_more"] = schools_more
        result["district_schools_more"] = Institution.objects.schools().filter(district=obolon).count()
        result["accounts_more"] = User.objects.count()

    say(f"Done in {time.perf_counter() - started:.1f} s; the scratch database is dropped.")
    emit(result)


if __name__ == "__main__":
    main()
