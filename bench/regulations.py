"""Benchmark: the regulatory base as a reader sees it, with 5,000 regulations.

On the real Kyiv register (so that the districts and their sections exist), the demo regulatory
base (`load_demo_content()`: 54 real regulations with tags, attachments and relations) and
synthetic regulations up to 5,000 in all («Синтетичний наказ № N», …), spread over the sections
of /regulations/ with a realistic mix of kinds, issuing bodies, statuses (mostly in force, some no
longer in force or amended), adoption dates over 1991–2026, 1–3 tags from a small vocabulary and,
for about a third, 1–2 attachments (the demo's documents reused), it measures for a school
director (force-logged-in through `django.test.Client`):

- listing          GET /regulations/ (in force, newest first, page 1)
- filtered         GET /regulations/?status=any&doc_kind=order&page=3
- tag              GET /regulations/?tag=<the most used tag>
- page             GET a regulation with attachments, tags and relations (the demo's «osvita-2017»)
- archive          GET /archive/ (regulations no longer in force appear there by their status)
- api              GET /api/v2/pages/?type=cms.RegulationPage&status=in_force&limit=20&fields=…

each as p50/p95 in ms over N timed runs after a few warm-up requests, and its SQL queries per
request (`CaptureQueriesContext`); every response must be 200. The same runs are made right after
the demo is loaded, to show whether the queries (or the time) grow with the number of regulations
(`*_queries_demo` against `*_queries`; reported, not asserted).

The synthetic regulations are real `RegulationPage` rows in the tree, live and served by the same
views. A sample of them is published the way an editor's are (`add_child`, a revision, `publish()`,
quietly), the rest in bulk in one transaction: each page saved on its own at a tree path computed
as `add_child` would, without a revision (a reader needs none); tags, attachments, relations and
log entries inserted in bulk; the search index updated in bulk. Both ways are timed (`create_s`,
and ms per page each way).

    python -m bench.regulations            # 5,000 regulations, 30 timed runs per path
    python -m bench.regulations --quick    # 300 regulations, two districts' schools, 5 runs
    python -m bench.regulations --profile listing   # and where the time of a path goes

The data lives in a scratch database (see bench.common), the demo's files in a temporary media
directory; PostgreSQL and Redis when DATABASE_URL and REDIS_URL say so, else a temporary SQLite file.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import re
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import bench_parser, emit, measure, query_samples, say, scratch_database, summary_ms
from bench.dashboards import OBOLON_KOATUU, QUICK_KOATUU, filtered_register

SEED = 20260101
WARMUP = 3
QUERY_SAMPLES = 3
DEMO_PAGE_SLUG = "osvita-2017"
FIRST_DAY = date(1991, 1, 1)
LAST_DAY = date(2026, 12, 31)
API_FIELDS = "doc_kind,status,tags,attachment_links"
PATHS = ("listing", "filtered", "tag", "page", "archive", "api")

# Per section of /regulations/ (cms.setup.SECTIONS): its share of the synthetic regulations and
# the (kind, issuing body, weight) of what it holds.
SECTION_MIX = {
    "laws": (0.10, [("law", "vru", 9), ("code", "vru", 1)]),
    "cabinet": (0.14, [("resolution", "kmu", 8), ("directive", "kmu", 2)]),
    "ministry": (0.26, [("order", "mon", 8), ("order", "moz", 2), ("letter", "mon", 1)]),
    "city": (0.10, [("directive", "kmda", 6), ("decision", "kmr", 4)]),
    "department": (0.20, [("order", "don", 10)]),
    "letters": (0.13, [("letter", "mon", 5), ("letter", "don", 5)]),
    "recommendations": (0.07, [("recommendations", "mon", 6), ("recommendations", "don", 3), ("report", "don", 1)]),
}
STATUS_MIX = [("in_force", 84), ("lost_force", 9), ("amended", 5), ("suspended", 2)]
AUDIENCE_MIX = [("everyone", 90), ("school", 4), ("district", 3), ("city", 3)]
TAG_COUNTS = [(1, 4), (2, 4), (3, 2)]
ATTACHMENT_SHARE = 1 / 3
RELATION_SHARE = 0.1
# Tags of the demo, the first ones the most used.
TAG_VOCABULARY = [
    "НУШ",
    "безпека",
    "інклюзія",
    "державний стандарт",
    "оцінювання",
    "зарахування",
    "організація навчання",
    "освітня програма",
    "атестація",
    "харчування",
    "воєнний стан",
    "булінг",
]
TITLE_WORDS = {
    "law": "Синтетичний закон",
    "code": "Синтетичний кодекс",
    "resolution": "Синтетична постанова",
    "directive": "Синтетичне розпорядження",
    "order": "Синтетичний наказ",
    "decision": "Синтетичне рішення",
    "letter": "Синтетичний лист",
    "recommendations": "Синтетичні методичні рекомендації",
    "report": "Синтетичний звіт",
}
TOPICS = [
    "про організацію освітнього процесу в закладах загальної середньої освіти",
    "про затвердження порядку зарахування до закладів освіти",
    "щодо безпеки учасників освітнього процесу",
    "про внесення змін до типової освітньої програми",
    "щодо харчування дітей у закладах освіти",
    "про проведення атестації педагогічних працівників",
    "щодо інклюзивного навчання",
    "про підготовку закладів освіти до нового навчального року",
]


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


# --- Data ---------------------------------------------------------------------------------------


def make_reader(koatuu: str):
    """A director account of a working school of the district, as after the first login."""
    from django.utils import timezone

    from portal.accounts.models import Position, User
    from portal.accounts.services import create_account
    from portal.institutions.models import Institution, Kind

    district = Institution.objects.get(kind=Kind.DISTRICT, koatuu=koatuu)
    school = Institution.objects.schools().working().filter(district=district).order_by("sort_name").first()
    if school is None:
        raise RuntimeError(f"No working school in {district}: did the register import run?")
    user, _password = create_account(school, Position.DIRECTOR)
    User.objects.filter(pk=user.pk).update(must_change_password=False, last_login=timezone.now())
    return User.objects.select_related("institution").get(pk=user.pk)


class Synthetic:
    """Synthetic regulations, reproducible from the seed, put in the sections of /regulations/."""

    def __init__(self, rng: random.Random):
        from taggit.models import Tag

        from cms.models import RegulationDocument, RegulationSectionPage

        self.rng = rng
        sections = {
            page.slug: page for page in RegulationSectionPage.objects.filter(slug__in=SECTION_MIX).order_by("path")
        }
        missing = set(SECTION_MIX) - set(sections)
        if missing:
            raise RuntimeError(f"Sections missing under /regulations/: {', '.join(sorted(missing))}")
        self.sections = sections
        self.tags = [Tag.objects.get_or_create(name=name)[0] for name in TAG_VOCABULARY]
        self.tag_weights = [len(self.tags) - i for i in range(len(self.tags))]
        self.documents = list(RegulationDocument.objects.order_by("pk"))
        if not self.documents:
            raise RuntimeError("No documents to attach: did the demo load its files?")
        self.created: list[int] = []  # the synthetic pages' ids, as targets of relations
        self.days = (min(LAST_DAY, date.today()) - FIRST_DAY).days

    def page(self, n: int):
        """The n-th synthetic regulation (unsaved), its section, its tags and its documents."""
        from django.utils import timezone

        from cms.models import RegulationPage

        rng = self.rng
        slug = weighted(rng, [(s, share) for s, (share, _) in SECTION_MIX.items()])
        kind, body = weighted(rng, [((k, b), w) for k, b, w in SECTION_MIX[slug][1]])
        status = weighted(rng, STATUS_MIX)
        adopted = FIRST_DAY + timedelta(days=rng.randrange(self.days))
        lost = None
        if status == "lost_force":
            lost = adopted + timedelta(days=rng.randint(30, max(31, (LAST_DAY - adopted).days // 2)))
        topic = rng.choice(TOPICS)
        points = rng.sample(TOPICS, 3)
        page = RegulationPage(
            title=f"{TITLE_WORDS[kind]} № {n} {topic}",
            slug=f"synthetic-{n}",
            doc_kind=kind,
            issuing_body=body,
            number=f"{n}-С",
            adopted_on=adopted,
            status=status,
            in_force_from=adopted + timedelta(days=rng.randint(0, 60)) if rng.random() < 0.7 else None,
            lost_force_on=lost,
            summary=(
                f"Синтетичний документ для вимірювання швидкодії: {topic}. "
                "Визначає порядок дій закладів освіти, строки подання інформації та відповідальних осіб."
            ),
            audience=weighted(rng, AUDIENCE_MIX),
            body=[
                ("heading", "Основні положення"),
                ("paragraph", "<ul>" + "".join(f"<li>{p.capitalize()}.</li>" for p in points) + "</ul>"),
            ],
            live=True,
            has_unpublished_changes=False,
            first_published_at=timezone.now(),
            last_published_at=timezone.now(),
        )
        tags = {rng.choices(self.tags, weights=self.tag_weights)[0] for _ in range(weighted(rng, TAG_COUNTS))}
        documents = rng.sample(self.documents, rng.randint(1, 2)) if rng.random() < ATTACHMENT_SHARE else []
        return self.sections[slug], page, sorted(tags, key=lambda tag: tag.pk), documents

    def relation_for(self, page):
        """A relation to an earlier synthetic regulation, for about one in ten; or None."""
        from cms.models import RegulationRelation

        if not self.created or self.rng.random() >= RELATION_SHARE:
            return None
        target_pk = self.rng.choice(self.created[-500:])
        kind = "repealed_by" if page.status == "lost_force" else self.rng.choice(["amends", "implements"])
        return RegulationRelation(page=page, kind=kind, target_id=target_pk, sort_order=0)

    def publish(self, start: int, count: int) -> float:
        """Regulations № start … start+count-1 as an editor's: add_child, a revision, publish (quietly).

        Everything the signals do happens: the search index, the reference index, the log.
        """
        from cms.models import RegulationAttachment
        from cms.publication import quiet_publication

        began = time.perf_counter()
        with quiet_publication():
            for n in range(start, start + count):
                section, page, tags, documents = self.page(n)
                page.tags.add(*tags)
                for order, document in enumerate(documents):
                    page.attachments.add(RegulationAttachment(document=document, sort_order=order))
                relation = self.relation_for(page)
                if relation is not None:
                    page.relations.add(relation)
                section.add_child(instance=page)
                page.save_revision().publish()
                self.created.append(page.pk)
        return time.perf_counter() - began

    def add_in_bulk(self, start: int, count: int) -> dict[str, float]:
        """Regulations № start … start+count-1, live without a revision, in one transaction.

        Each page is saved on its own (`Page.save(clean=False)`: the two rows of a page, its
        url_path and its owner district), with its tree path computed here as treebeard's
        add_child would and the parent's numchild updated once per section; its tags,
        attachments, relations and "wagtail.create" log entries are inserted in bulk afterwards,
        and the search index is updated in bulk (as `update_index` does) rather than page by
        page. The reference index (the admin's "usage" of documents) is not updated. Returns
        the seconds of each step.
        """
        from django.contrib.contenttypes.models import ContentType
        from django.db import transaction
        from django.db.models import F
        from django.db.models.signals import post_save
        from modelsearch.backends import get_search_backends
        from modelsearch.signal_handlers import post_save_signal_handler
        from wagtail.models import Page, PageLogEntry
        from wagtail.signal_handlers import disable_reference_index_auto_update

        from cms.models import RegulationAttachment, RegulationPage, RegulationRelation, RegulationTag

        timings = {}
        began = time.perf_counter()
        by_section: dict[int, tuple] = {}
        for n in range(start, start + count):
            section, page, tags, documents = self.page(n)
            by_section.setdefault(section.pk, (section, []))[1].append((page, tags, documents))
        timings["generate"] = time.perf_counter() - began

        step = time.perf_counter()
        pages = []
        connected = post_save.disconnect(post_save_signal_handler, sender=RegulationPage)
        try:
            with transaction.atomic(), disable_reference_index_auto_update():
                for section, entries in by_section.values():
                    last = section.get_last_child()
                    position = last._get_lastpos_in_path() if last is not None else 0
                    for page, _tags, _documents in entries:
                        position += 1
                        page.depth = section.depth + 1
                        page.path = Page._get_path(section.path, page.depth, position)
                        page.locale_id = section.locale_id
                        page.draft_title = page.title
                        page._cached_parent_obj = section
                        page._is_site_root = False  # spares Page.save a query per page
                        page.save(clean=False, log_action=None)
                        pages.append(page)
                    Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + len(entries))
                    section.numchild += len(entries)
                timings["pages"] = time.perf_counter() - step

                step = time.perf_counter()
                tagged, attached, related = [], [], []
                for _section, entries in by_section.values():
                    for page, tags, documents in entries:
                        tagged += [RegulationTag(content_object=page, tag=tag) for tag in tags]
                        attached += [
                            RegulationAttachment(page=page, document=document, sort_order=order)
                            for order, document in enumerate(documents)
                        ]
                for page in pages:
                    relation = self.relation_for(page)
                    if relation is not None:
                        related.append(relation)
                    self.created.append(page.pk)
                RegulationTag.objects.bulk_create(tagged, batch_size=1000)
                RegulationAttachment.objects.bulk_create(attached, batch_size=1000)
                RegulationRelation.objects.bulk_create(related, batch_size=1000)
                content_type = ContentType.objects.get_for_model(RegulationPage)
                PageLogEntry.objects.bulk_create(
                    [
                        PageLogEntry(
                            page_id=page.pk,
                            content_type=content_type,
                            label=PageLogEntry.objects.get_instance_title(page),
                            action="wagtail.create",
                            data={},
                            timestamp=page.first_published_at,
                            content_changed=True,
                        )
                        for page in pages
                    ],
                    batch_size=1000,
                )
                timings["children"] = time.perf_counter() - step

                step = time.perf_counter()
                for backend in get_search_backends(with_auto_update=True):
                    for first in range(0, len(pages), 500):
                        backend.add_bulk(RegulationPage, pages[first : first + 500])
                timings["search_index"] = time.perf_counter() - step
        finally:
            if connected:
                post_save.connect(post_save_signal_handler, sender=RegulationPage)
        timings["total"] = time.perf_counter() - began
        return timings


def analyze() -> None:
    """Fresh planner statistics on PostgreSQL (autovacuum would do it some time later)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- Measuring ----------------------------------------------------------------------------------


class Probe:
    """One reader request through the test client: it must answer 200."""

    def __init__(self, name: str, client, path: str, data: dict | None = None):
        self.name = name
        self.client = client
        self.path = path
        self.data = data or {}

    @property
    def shown(self) -> str:
        from urllib.parse import urlencode

        return self.path + ("?" + urlencode(self.data) if self.data else "")

    def get(self):
        try:
            response = self.client.get(self.path, self.data)
        except Exception as exc:  # the test client re-raises what the view raised
            raise AssertionError(f"{self.name} {self.shown}: the view raised {exc!r}") from exc
        if response.status_code != 200:
            raise AssertionError(f"{self.name} {self.shown}: status {response.status_code}, expected 200")
        return response

    def queries(self) -> tuple[int, list[int]]:
        """Queries per request: the largest of a few samples, and all the samples."""
        return query_samples(self.get, QUERY_SAMPLES)

    def content(self) -> str:
        """What the response shows, in a few words."""
        response = self.get()
        if response["Content-Type"].startswith("application/json"):
            data = response.json()
            return f"{len(data['items'])} items of {data['meta']['total_count']}"
        html = response.content.decode()
        if self.name == "page":
            return f"{html.count(' download>')} files"
        rows = html.count('class="regulation-item"')
        found = re.search(r'aria-live="polite">\D*(\d+)', html)
        return f"{rows} items" + (f" of {found.group(1)}" if found else "")


def make_probes(client) -> list[Probe]:
    from django.db.models import Count
    from taggit.models import Tag

    from cms.models import RegulationPage

    tag = (
        Tag.objects.annotate(uses=Count("cms_regulationtag_items")).filter(uses__gt=0).order_by("-uses", "name").first()
    )
    page = RegulationPage.objects.get(slug=DEMO_PAGE_SLUG)
    return [
        Probe("listing", client, "/regulations/"),
        Probe("filtered", client, "/regulations/", {"status": "any", "doc_kind": "order", "page": 3}),
        Probe("tag", client, "/regulations/", {"tag": tag.name}),
        Probe("page", client, page.url),
        Probe("archive", client, "/archive/"),
        Probe(
            "api",
            client,
            "/api/v2/pages/",
            {"type": "cms.RegulationPage", "status": "in_force", "limit": 20, "fields": API_FIELDS},
        ),
    ]


def check_synthetic_pages(client) -> str:
    """A synthetic regulation of each way of creating them is served to the reader (200)."""
    from django.db.models import Q

    from cms.models import RegulationPage
    from cms.visibility import visible_q

    readable = RegulationPage.objects.live().filter(visible_q(client.reader), slug__startswith="synthetic-")
    shown = []
    for label, condition in (("published", Q(latest_revision__isnull=False)), ("bulk", Q(latest_revision=None))):
        page = readable.filter(condition).order_by("pk").first()
        if page is None:
            continue
        Probe(f"synthetic ({label})", client, page.url).get()
        shown.append(f"{label} {page.url}")
    if not shown and RegulationPage.objects.filter(slug__startswith="synthetic-").exists():
        raise AssertionError("No synthetic regulation is readable by the reader")
    return ", ".join(shown) or "no synthetic regulations"


def run_round(probes: list[Probe], runs: int, suffix: str, result: dict) -> None:
    """Time every path and count its queries; the figures go to `result` as `<path>_<figure><suffix>`."""
    for probe in probes:
        timings = measure(probe.get, runs=runs, warmup=WARMUP)
        stats = summary_ms(timings)
        queries, samples = probe.queries()
        result[f"{probe.name}_p50_ms{suffix}"] = stats["p50_ms"]
        result[f"{probe.name}_p95_ms{suffix}"] = stats["p95_ms"]
        result[f"{probe.name}_queries{suffix}"] = queries
        varying = "" if len(set(samples)) == 1 else f" (samples vary: {samples})"
        say(
            f"  {probe.name:<9} p50 {stats['p50_ms']:8.2f} ms  p95 {stats['p95_ms']:8.2f} ms  "
            f"max {max(timings):8.2f} ms  {queries:3d} queries{varying}  {probe.content():<18} {probe.shown}"
        )


def profile(probe: Probe, runs: int = 5, limit: int = 30) -> None:
    """Where a request's time goes: a cProfile of a few requests, and each SQL query timed."""
    from django.db import connection

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        probe.get()
    profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(limit)
        say(f"--- profile of {probe.name}, {runs} requests, by {order} ---")
        for line in out.getvalue().splitlines():
            if line.strip():
                say("  " + line)

    timed: list[tuple[float, str]] = []

    def timer(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - began) * 1000, sql))

    began = time.perf_counter()
    with connection.execute_wrapper(timer):
        probe.get()
    total = (time.perf_counter() - began) * 1000
    sql_ms = sum(ms for ms, _sql in timed)
    say(f"--- the {len(timed)} queries of {probe.name}: {sql_ms:.1f} ms of a {total:.1f} ms request ---")
    for ms, sql in timed:
        say(f"  {ms:7.2f} ms  " + (sql if len(sql) <= 400 else sql[:400] + " …"))


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--regulations", type=int, help="regulations in all (default 5000, quick 300)")
    parser.add_argument("--runs", type=int, help="timed requests per path (default 30, quick 5)")
    parser.add_argument(
        "--publish-sample",
        type=int,
        help="synthetic regulations published with a revision, as an editor's (default 50, quick 10)",
    )
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        choices=PATHS,
        help="print a cProfile and the SQL of a path at the full size; repeatable",
    )
    args = parser.parse_args()
    total = args.regulations or (300 if args.quick else 5000)
    runs = args.runs or (5 if args.quick else 30)
    sample = args.publish_sample if args.publish_sample is not None else (10 if args.quick else 50)
    rng = random.Random(SEED)
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="bench_regulations_") as tmp, scratch_database() as db:
        from django.conf import settings
        from django.db.models import Count
        from django.test import Client, override_settings

        from cms.demo import load_demo_content
        from cms.models import RegulationPage
        from portal.institutions.models import Institution
        from portal.institutions.services import REGISTER_FILE, import_register

        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        # The demo's generated files go to a temporary directory, not the developer's media.
        with override_settings(MEDIA_ROOT=str(Path(tmp) / "media")):
            say(f"Regulations benchmark{' (quick)' if args.quick else ''} on {db.describe()}")

            step = time.perf_counter()
            register = filtered_register(REGISTER_FILE, QUICK_KOATUU, Path(tmp)) if args.quick else REGISTER_FILE
            imported = import_register(register)
            say(
                f"Register: {Institution.objects.schools().count()} schools, "
                f"{Institution.objects.districts().count()} districts, {len(imported.unplaced)} rows unplaced; "
                f"{time.perf_counter() - step:.1f} s"
            )

            step = time.perf_counter()
            counts = load_demo_content()
            demo_s = time.perf_counter() - step
            demo = RegulationPage.objects.count()
            say(
                f"Demo: {counts['regulations']} regulations, {counts['files']} files, "
                f"{counts['archive']} archive items, {counts['announcements']} announcements; {demo_s:.1f} s"
            )
            if total < demo:
                raise SystemExit(f"--regulations {total} is fewer than the demo's {demo}")

            reader = make_reader(OBOLON_KOATUU)
            client = Client()
            client.force_login(reader)
            client.reader = reader
            say(f"Reader: {reader.username}, director of {reader.institution.display_name}")
            analyze()
            at_demo: dict = {}
            say(f"{demo} regulations (the demo), {runs} timed runs per path after {WARMUP} warm-up requests:")
            run_round(make_probes(client), runs, "_demo", at_demo)

            synthetic = Synthetic(rng)
            more = total - demo
            published = min(sample, more)
            publish_s = synthetic.publish(1, published)
            say(
                f"Published {published} synthetic regulations as an editor would (add_child, revision, publish): "
                f"{publish_s:.1f} s, {publish_s / max(published, 1) * 1000:.0f} ms each"
            )
            bulk = synthetic.add_in_bulk(published + 1, more - published)
            say(
                f"Added {more - published} in bulk: {bulk['total']:.1f} s "
                f"({bulk['total'] / max(more - published, 1) * 1000:.1f} ms each; pages {bulk['pages']:.1f} s, "
                f"tags/attachments/relations {bulk['children']:.1f} s, search index {bulk['search_index']:.1f} s)"
            )
            create_s = publish_s + bulk["total"]
            analyze()
            regulations = RegulationPage.objects.count()
            by_status = dict(RegulationPage.objects.order_by().values_list("status").annotate(n=Count("pk")))
            say(
                f"{regulations} regulations ({RegulationPage.objects.live().count()} live; "
                + ", ".join(f"{status} {n}" for status, n in sorted(by_status.items()))
                + f"), created in {create_s:.1f} s"
            )

            say(f"Served to the reader (200): {check_synthetic_pages(client)}")

            probes = make_probes(client)
            measured: dict = {}
            say(f"{regulations} regulations, the same runs again:")
            run_round(probes, runs, "", measured)
            for name in args.profile:
                profile(next(p for p in probes if p.name == name))

    result = {"bench": "regulations", "regulations": regulations}
    for name in PATHS:
        result[f"{name}_p50_ms"] = measured[f"{name}_p50_ms"]
        result[f"{name}_p95_ms"] = measured[f"{name}_p95_ms"]
        result[f"{name}_queries"] = measured[f"{name}_queries"]
        result[f"{name}_p50_ms_demo"] = at_demo[f"{name}_p50_ms_demo"]
        result[f"{name}_queries_demo"] = at_demo[f"{name}_queries_demo"]
    result.update(
        regulations_demo=demo,
        create_s=round(create_s, 2),
        create_published=published,
        create_published_ms_each=round(publish_s / max(published, 1) * 1000, 1),
        create_bulk=more - published,
        create_bulk_ms_each=round(bulk["total"] / max(more - published, 1) * 1000, 2),
        demo_load_s=round(demo_s, 2),
        runs=runs,
        quick=args.quick,
        database=db.vendor,
        cache=db.cache,
        conn_max_age=db.conn_max_age,
    )
    say(f"Done in {time.perf_counter() - started:.1f} s; the scratch database is dropped.")
    emit(result)


if __name__ == "__main__":
    main()
