"""The permission matrix: every URL pattern and every API operation, asked by an anonymous
caller, a customer, product staff, an operator and a superuser, answers what the table says.

Each actor presents everything it holds on every request: its session (the pages) and its API key
(the API), so the table also shows that neither opens the other's door. Writes send a body that is
valid for an actor allowed to make them, against this module's own database: an allowed write
really happens (and is rolled back after the test), a refused one is refused by its permission.
Requests come from a public address, as a stranger's would; loopback may scrape /metrics
(tests/energy/api/test_metrics.py).

The table lists every URL pattern and every operation of the OpenAPI schema: a new one fails
`test_the_matrix_lists_every_url_pattern` or `test_the_matrix_lists_every_api_operation` until it
has a row."""

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from config.api import api
from tests.security.cast import ACTORS, RECOMMENDATION_BODY, SPARE_MODEL, Cast, build_cast

PUBLIC_ADDRESS = "203.0.113.7"  # TEST-NET-3: neither loopback nor a private network
STATIC_PREFIX = "/static/"

# What a request gets, as the table names it.
OK = "ok"  # 2xx: the page or the answer itself
MOVED = "moved"  # 3xx, to somewhere other than the login page or the admin's "no such object"
LOGIN = "login"  # a redirect to the admin's login page
ABSENT = "absent"  # a redirect to the admin index, which says there is no such object: not one this user may see
E401, E403, E404 = "401", "403", "404"
PASSED = "passed"  # past every permission check (neither a refusal nor a 5xx); the body's own verdict may be a 4xx
STATUS_ONLY = "status only"  # 200 with nothing but {"status": …}

REFUSALS = {LOGIN, ABSENT, E401, E403, E404}

# The parts of issue 14 in flight on other branches, which change the cells that name them.

GET, POST, PUT = "GET", "POST", "PUT"

# The cast moved the accurate slot to the spare model: a switch puts builtin/rules back, a rollback too.
SWITCH_BODY = {"model": "builtin/rules", "reason": "the permission matrix"}
ROLLBACK_BODY = {"reason": "the permission matrix"}
BENCHMARK_BODY = {"suite": "standard", "routes": [SPARE_MODEL], "repetitions": 1, "warmup_repetitions": 0}
JUDGE_BODY = {"judge": SPARE_MODEL}
RATING_BODY = {"item_id": "{public_id}", "why_sensible": 4, "values_reasonable": 4, "overall": 4}
PAIRWISE_BODY = {"pair": "a pair never served", "choice": "a"}


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # {placeholders} name the cast's rows; the API's are the OpenAPI schema's own
    expected: tuple[str, str, str, str, str]  # anonymous, customer, product staff, operator, superuser
    body: dict[str, Any] | None = None  # JSON for the API; the pages' POSTs send an empty form


PAGES = [
    # The root: the product is the admin.
    Row(GET,  "/", (MOVED, MOVED, MOVED, MOVED, MOVED)),
    # The switchboard. Its POSTs send an empty form: refused by the permission, or past it and sent back to the
    # board by the form (an operator's and a superuser's).
    Row(GET,  "/admin/switchboard/",                                       (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(POST, "/admin/switchboard/slots/{slot}/switch/",                   (LOGIN, LOGIN, E403,  MOVED, MOVED)),
    Row(POST, "/admin/switchboard/slots/{slot}/rollback/",                 (LOGIN, LOGIN, E403,  MOVED, MOVED)),
    Row(POST, "/admin/switchboard/slots/{slot}/canary/start/",             (LOGIN, LOGIN, E403,  MOVED, MOVED)),
    Row(POST, "/admin/switchboard/slots/{slot}/canary/promote/",           (LOGIN, LOGIN, E403,  MOVED, MOVED)),
    Row(POST, "/admin/switchboard/slots/{slot}/canary/abort/",             (LOGIN, LOGIN, E403,  MOVED, MOVED)),
    Row(POST, "/admin/switchboard/tiers/{tier_id}/apply/",                 (LOGIN, LOGIN, E403,  MOVED, MOVED)),
    Row(POST, "/admin/switchboard/changes/slot/{slotchange_id}/rollback/", (LOGIN, LOGIN, E403,  MOVED, MOVED)),
    # The benchmark pages (the promotion POST, like the switchboard's, sends an empty form).
    Row(GET,  "/admin/benchmarks/",                                     (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/benchmarks/runs/new/",                            (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/benchmarks/runs/{benchmarkrun_id}/",              (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(POST, "/admin/benchmarks/runs/{benchmarkrun_id}/judges/",       (LOGIN, LOGIN, E403,  MOVED, MOVED)),
    Row(GET,  "/admin/benchmarks/runs/{benchmarkrun_id}/progress.json", (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/benchmarks/compare/?runs={benchmarkrun_id}",      (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/benchmarks/matrix/?run={benchmarkrun_id}",        (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(POST, "/admin/benchmarks/matrix/routes/{route_id}/promote/",    (LOGIN, LOGIN, E403,  MOVED, MOVED)),
    # The admin site's own pages. Autocomplete answers 403 to everyone: no admin declares an autocomplete field. The
    # view-on-site shortcut answers 404: no model has a public URL.
    Row(GET,  "/admin/",                              (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/login/",                        (OK,    OK,    MOVED, MOVED, MOVED)),
    Row(POST, "/admin/logout/",                       (MOVED, MOVED, OK,    OK,    OK)),
    Row(GET,  "/admin/password_change/",              (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/password_change/done/",         (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/autocomplete/",                 (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/jsi18n/",                       (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/r/{plan_type_id}/{plan_id}/",   (LOGIN, LOGIN, E404,  E404,  E404)),
    Row(GET,  "/admin/auth/",                         (LOGIN, LOGIN, E404,  E404,  OK)),
    Row(GET,  "/admin/django_q/",                     (LOGIN, LOGIN, E404,  E404,  OK)),
    Row(GET,  "/admin/energy/",                       (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/",                   (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/no-such-page/",                 (LOGIN, LOGIN, E404,  E404,  E404)),
    Row(GET,  "/admin/auth/user/{user_id}/password/", (LOGIN, LOGIN, E403,  E403,  OK)),
    # The rating pages.
    Row(GET,  "/rate/",                (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/rate/next/",           (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/rate/item/{public_id}/", (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/rate/pair/",           (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/rate/leaderboard/",    (LOGIN, LOGIN, OK,    OK,    OK)),
    # The API's documents, the metrics (from outside the allowed networks, whoever asks) and a static file.
    Row(GET,  "/api/v1/openapi.json",       (OK,    OK,    OK,    OK,    OK)),
    Row(GET,  "/api/v1/docs",               (OK,    OK,    OK,    OK,    OK)),
    Row(GET,  "/api/v1/",                   (E404,  E404,  E404,  E404,  E404)),
    Row(GET,  "/metrics",                   (E403,  E403,  E403,  E403,  E403)),
    Row(GET,  "/static/admin/css/base.css", (OK,    OK,    OK,    OK,    OK)),
    # The admin's pages of every registered model: the list, add, history, delete, change, and the bare object
    # URL, which redirects to its change page whoever asks (that page's row says what they get).
    # Users and groups: superusers only.
    Row(GET,  "/admin/auth/group/",                                                        (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/auth/group/add/",                                                    (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/auth/group/{group_id}/history/",                                     (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/auth/group/{group_id}/delete/",                                      (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/auth/group/{group_id}/change/",                                      (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/auth/group/{group_id}/",                                             (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/admin/auth/user/",                                                         (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/auth/user/add/",                                                     (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/auth/user/{user_id}/history/",                                       (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/auth/user/{user_id}/delete/",                                        (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/auth/user/{user_id}/change/",                                        (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/auth/user/{user_id}/",                                               (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # The task queue's tables: superusers only (django-q2 lets nobody add a result or a queued task by hand).
    Row(GET,  "/admin/django_q/schedule/",                                                 (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/schedule/add/",                                             (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/schedule/{schedule_id}/history/",                           (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/schedule/{schedule_id}/delete/",                            (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/schedule/{schedule_id}/change/",                            (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/schedule/{schedule_id}/",                                   (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/admin/django_q/success/",                                                  (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/success/add/",                                              (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/django_q/success/{success_id}/history/",                             (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/success/{success_id}/delete/",                              (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/success/{success_id}/change/",                              (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/success/{success_id}/",                                     (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/admin/django_q/failure/",                                                  (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/failure/add/",                                              (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/django_q/failure/{failure_id}/history/",                             (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/failure/{failure_id}/delete/",                              (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/failure/{failure_id}/change/",                              (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/failure/{failure_id}/",                                     (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # Plans: product staff and operators look, superusers edit.
    Row(GET,  "/admin/energy/plan/",                                                       (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/energy/plan/add/",                                                   (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/energy/plan/{plan_id}/history/",                                     (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/energy/plan/{plan_id}/delete/",                                      (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/energy/plan/{plan_id}/change/",                                      (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/energy/plan/{plan_id}/",                                             (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # Recommendations and model calls: nobody edits them; product staff will not see them (issue 14, 4).
    Row(GET,  "/admin/energy/recommendation/",                                             (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/energy/recommendation/add/",                                         (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/energy/recommendation/{recommendation_id}/history/",                 (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/energy/recommendation/{recommendation_id}/delete/",                  (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/energy/recommendation/{recommendation_id}/change/",                  (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/energy/recommendation/{recommendation_id}/",                         (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/admin/energy/llmcall/",                                                    (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/energy/llmcall/add/",                                                (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/energy/llmcall/{llmcall_id}/history/",                               (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/energy/llmcall/{llmcall_id}/delete/",                                (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/energy/llmcall/{llmcall_id}/change/",                                (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/energy/llmcall/{llmcall_id}/",                                       (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # API keys: each user sees only their own (so staff find no operator's key); operators make keys, for
    # themselves; only superusers delete.
    Row(GET,  "/admin/energy/apikey/",                                                     (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/energy/apikey/add/",                                                 (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/energy/apikey/{apikey_id}/history/",                                 (LOGIN, LOGIN, ABSENT,OK,    OK)),
    Row(GET,  "/admin/energy/apikey/{apikey_id}/delete/",                                  (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/energy/apikey/{apikey_id}/change/",                                  (LOGIN, LOGIN, ABSENT,OK,    OK)),
    Row(GET,  "/admin/energy/apikey/{apikey_id}/",                                         (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # The catalog: product staff look, operators edit.
    Row(GET,  "/admin/evaluation/provider/",                                               (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/provider/add/",                                           (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/provider/{provider_id}/history/",                         (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/provider/{provider_id}/delete/",                          (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/provider/{provider_id}/change/",                          (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/provider/{provider_id}/",                                 (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/admin/evaluation/aimodel/",                                                (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/aimodel/add/",                                            (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/aimodel/{aimodel_id}/history/",                           (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/aimodel/{aimodel_id}/delete/",                            (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/aimodel/{aimodel_id}/change/",                            (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/aimodel/{aimodel_id}/",                                   (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # Councils: removed only with their catalog entry (the models list), so nobody deletes one here.
    Row(GET,  "/admin/evaluation/council/",                                                (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/council/add/",                                            (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/council/{council_id}/history/",                           (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/council/{council_id}/delete/",                            (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/council/{council_id}/change/",                            (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/council/{council_id}/",                                   (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # Slots: changed only by switches (no one adds or deletes one here, not even a superuser).
    Row(GET,  "/admin/evaluation/slot/",                                                   (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/slot/add/",                                               (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/slot/{slot_id}/history/",                                 (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/slot/{slot_id}/delete/",                                  (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/slot/{slot_id}/change/",                                  (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/slot/{slot_id}/",                                         (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # Audit rows and records: nobody adds, edits or deletes them.
    Row(GET,  "/admin/evaluation/slotchange/",                                             (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/slotchange/add/",                                         (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/slotchange/{slotchange_id}/history/",                     (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/slotchange/{slotchange_id}/delete/",                      (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/slotchange/{slotchange_id}/change/",                      (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/slotchange/{slotchange_id}/",                             (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/admin/evaluation/catalogchange/",                                          (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/catalogchange/add/",                                      (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/catalogchange/{catalogchange_id}/history/",               (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/catalogchange/{catalogchange_id}/delete/",                (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/catalogchange/{catalogchange_id}/change/",                (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/catalogchange/{catalogchange_id}/",                       (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/admin/evaluation/modelprobe/",                                             (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/modelprobe/add/",                                         (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/modelprobe/{modelprobe_id}/history/",                     (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/modelprobe/{modelprobe_id}/delete/",                      (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/modelprobe/{modelprobe_id}/change/",                      (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/modelprobe/{modelprobe_id}/",                             (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/admin/evaluation/livefigurebucket/",                                       (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/livefigurebucket/add/",                                   (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/livefigurebucket/{livefigurebucket_id}/history/",         (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/livefigurebucket/{livefigurebucket_id}/delete/",          (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/livefigurebucket/{livefigurebucket_id}/change/",          (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/livefigurebucket/{livefigurebucket_id}/",                 (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/admin/evaluation/ratingcollectionmark/",                                   (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/ratingcollectionmark/add/",                               (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/ratingcollectionmark/{ratingcollectionmark_id}/history/", (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/ratingcollectionmark/{ratingcollectionmark_id}/delete/",  (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/ratingcollectionmark/{ratingcollectionmark_id}/change/",  (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/ratingcollectionmark/{ratingcollectionmark_id}/",         (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # The routing policy: one row, edited by operators, never added again or deleted.
    Row(GET,  "/admin/evaluation/routingpolicy/",                                          (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/routingpolicy/add/",                                      (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/routingpolicy/{routingpolicy_id}/history/",               (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/routingpolicy/{routingpolicy_id}/delete/",                (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/routingpolicy/{routingpolicy_id}/change/",                (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/routingpolicy/{routingpolicy_id}/",                       (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # Tiers and benchmark suites: product staff look, operators edit.
    Row(GET,  "/admin/evaluation/tier/",                                                   (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/tier/add/",                                               (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/tier/{tier_id}/history/",                                 (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/tier/{tier_id}/delete/",                                  (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/tier/{tier_id}/change/",                                  (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/tier/{tier_id}/",                                         (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    Row(GET,  "/admin/evaluation/benchmarksuite/",                                         (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/benchmarksuite/add/",                                     (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/benchmarksuite/{benchmarksuite_id}/history/",             (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/benchmarksuite/{benchmarksuite_id}/delete/",              (LOGIN, LOGIN, E403,  OK,    OK)),
    Row(GET,  "/admin/evaluation/benchmarksuite/{benchmarksuite_id}/change/",              (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/benchmarksuite/{benchmarksuite_id}/",                     (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
    # Benchmark runs: started from the benchmark pages or the API, never here.
    Row(GET,  "/admin/evaluation/benchmarkrun/",                                           (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/benchmarkrun/add/",                                       (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/benchmarkrun/{benchmarkrun_id}/history/",                 (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/benchmarkrun/{benchmarkrun_id}/delete/",                  (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/evaluation/benchmarkrun/{benchmarkrun_id}/change/",                  (LOGIN, LOGIN, OK,    OK,    OK)),
    Row(GET,  "/admin/evaluation/benchmarkrun/{benchmarkrun_id}/",                         (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
]

# Every operation of the API. The rating posts' allowed cells ask only that the permission checks pass.
API = [
    Row(POST, "/api/v1/recommendations",                            (E401,  OK,    OK,    OK,    OK), RECOMMENDATION_BODY),
    Row(GET,  "/api/v1/recommendations/{recommendation_id}/events", (E401,  OK,    E404,  E404,  E404)),
    Row(GET,  "/api/v1/recommendations/{recommendation_id}",        (E401,  OK,    E404,  E404,  E404)),
    Row(GET,  "/api/v1/plans",                                      (E401,  OK,    OK,    OK,    OK)),
    Row(GET,  "/api/v1/health",                                     (STATUS_ONLY, OK,    OK,    OK,    OK)),
    Row(GET,  "/api/v1/health/details",                             (E401,  OK,    OK,    OK,    OK)),
    Row(GET,  "/api/v1/models",                                     (E401,  OK,    OK,    OK,    OK)),
    Row(GET,  "/api/v1/slots",                                      (E401,  OK,    OK,    OK,    OK)),
    Row(PUT,  "/api/v1/slots/{slot}",                               (E401,  E403,  E403,  OK,    OK), SWITCH_BODY),
    Row(POST, "/api/v1/slots/{slot}/rollback",                      (E401,  E403,  E403,  OK,    OK), ROLLBACK_BODY),
    Row(POST, "/api/v1/benchmarks",                                 (E401,  E403,  E403,  OK,    OK), BENCHMARK_BODY),
    Row(GET,  "/api/v1/benchmarks",                                 (E401,  OK,    OK,    OK,    OK)),
    Row(GET,  "/api/v1/benchmarks/{run_id}",                        (E401,  OK,    OK,    OK,    OK)),
    # The cast's judge is a rules model, which cannot judge: the operator's request is past the permission, then refused.
    Row(POST, "/api/v1/benchmarks/{run_id}/judges",                 (E401,  E403,  E403,  PASSED,PASSED), JUDGE_BODY),
    Row(GET,  "/api/v1/ratings/next",                               (E401,  E403,  OK,    OK,    OK)),
    Row(POST, "/api/v1/ratings",                                    (E401,  E403,  PASSED,PASSED,PASSED), RATING_BODY),
    Row(GET,  "/api/v1/ratings/pairwise/next",                      (E401,  E403,  OK,    OK,    OK)),
    # A pair never served to the rater is not found (after the permission checks), as an unknown item is.
    Row(POST, "/api/v1/ratings/pairwise",                           (E401,  E403,  E404,  E404,  E404), PAIRWISE_BODY),
    Row(GET,  "/api/v1/models/{key}/quality",                       (E401,  OK,    OK,    OK,    OK)),

]

# django-q2 registers its queue's admin only with the ORM broker (the embedded default); with Redis
# (CI's third pass) the queue lives in Redis and these pages do not exist.
ORM_QUEUE_PAGES = [
    Row(GET,  "/admin/django_q/ormq/",                                                     (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/ormq/add/",                                                 (LOGIN, LOGIN, E403,  E403,  E403)),
    Row(GET,  "/admin/django_q/ormq/{ormq_id}/history/",                                   (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/ormq/{ormq_id}/delete/",                                    (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/ormq/{ormq_id}/change/",                                    (LOGIN, LOGIN, E403,  E403,  OK)),
    Row(GET,  "/admin/django_q/ormq/{ormq_id}/",                                           (LOGIN, LOGIN, MOVED, MOVED, MOVED)),
]
if settings.Q_CLUSTER.get("orm"):
    PAGES += ORM_QUEUE_PAGES

ROWS = PAGES + API


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """The seeded demo data, the actors and their objects, built once for the module's ~1,000
    requests and rolled back at its end; each test's own writes roll back with the test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_cast()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_client() -> Client:
    """One client for the module: each new one loads the middleware again, and WhiteNoise then reads
    every collected static file again (a third of a second)."""
    return Client(REMOTE_ADDR=PUBLIC_ADDRESS)


@pytest.fixture
def empty_cache():
    """Cached answers, single-flight claims and key buckets live in the cache: no request sees another's."""
    cache.clear()
    yield
    cache.clear()


def ask(client: Client, cast: Cast, actor_name: str, row: Row):
    actor = cast.actors[actor_name]
    if actor.user is not None:
        client.force_login(actor.user)
    headers = {"Authorization": f"Bearer {actor.raw_key}"} if actor.raw_key else {}
    path = row.path.format(**cast.ids)
    if row.method == GET:
        return client.get(path, headers=headers)
    if row.body is not None:
        body = {name: filled(value, cast.ids) for name, value in row.body.items()}
        return client.generic(row.method, path, json.dumps(body), content_type="application/json", headers=headers)
    return client.generic(row.method, path, "", content_type="application/x-www-form-urlencoded", headers=headers)


def filled(value: Any, ids: dict[str, Any]) -> Any:
    """A body's "{placeholder}" becomes the cast's id, keeping its type."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def observed(response, path: str) -> str:
    """The table's name for what the response is."""
    if 300 <= response.status_code < 400:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return LOGIN
        # The admin sends a user to its index when the object of a change, history or delete page is not in
        # the user's queryset.
        page = resolve(path.split("?")[0]).url_name or ""
        if location == "/admin/" and page.endswith(("_change", "_history", "_delete")):
            return ABSENT
        return MOVED
    if 200 <= response.status_code < 300:
        return OK
    return str(response.status_code)


def cells() -> list[Any]:
    """One case per row and actor."""
    params = []
    for row in ROWS:
        for actor, expected in zip(ACTORS, row.expected, strict=True):
            params.append(pytest.param(row, actor, expected, id=f"{row.method} {row.path} as {actor}"))
    return params


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "actor", "expected"), cells())
def test_each_actor_gets_what_the_matrix_says(row: Row, actor: str, expected: str, cast: Cast, shared_client, empty_cache,
                                              settings):
    client = shared_client
    client.cookies.clear()
    if row.path.startswith(STATIC_PREFIX):
        # Where `collectstatic` has not run, WhiteNoise serves what it would collect from the finders,
        # which it lists when a client's middleware is loaded.
        settings.WHITENOISE_USE_FINDERS = True
        client = Client(REMOTE_ADDR=PUBLIC_ADDRESS)

    response = ask(client, cast, actor, row)

    assert response.status_code < 500, response.content[:500]
    got = observed(response, row.path.format(**cast.ids))
    if expected == PASSED:
        assert got not in REFUSALS, f"{row.method} {row.path} as {actor}: {got}"
    elif expected == STATUS_ONLY:
        assert (got, set(response.json())) == (OK, {"status"})
    else:
        assert got == expected, f"{row.method} {row.path} as {actor}: {got}, not {expected}"


def url_patterns(patterns=None, prefix: str = "") -> set[str]:
    """Every route of the URLconf, as `ResolverMatch.route` spells it."""
    routes = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            routes |= url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.add(resolve_route(prefix, str(pattern.pattern)))
    return routes


def resolve_route(prefix: str, route: str) -> str:
    # Django joins a regex route to its prefix without the regex's leading "^".
    return prefix + route.removeprefix("^")


def test_the_matrix_lists_every_url_pattern():
    any_ids = defaultdict(lambda: "1")  # what a pattern matches, not which row it names
    listed = {resolve(row.path.split("?")[0].format_map(any_ids)).route
              for row in ROWS if not row.path.startswith(STATIC_PREFIX)}

    patterns = url_patterns()
    assert not patterns - listed, f"URL patterns the matrix does not list: {sorted(patterns - listed)}"
    assert not listed - patterns, f"rows that name no URL pattern: {sorted(listed - patterns)}"


def test_the_matrix_lists_every_api_operation():
    schema = api.get_openapi_schema()
    operations = {(method.upper(), path) for path, methods in schema["paths"].items() for method in methods}
    listed = {(row.method, row.path) for row in API}

    assert not operations - listed, f"operations the matrix does not list: {sorted(operations - listed)}"
    assert not listed - operations, f"rows that name no operation: {sorted(listed - operations)}"


def test_every_row_names_a_cell_for_each_actor_and_an_outcome_the_test_knows():
    known = {OK, MOVED, LOGIN, ABSENT, E401, E403, E404, PASSED, STATUS_ONLY}
    for row in ROWS:
        assert set(row.expected) <= known, row
    assert len({(row.method, row.path) for row in ROWS}) == len(ROWS)
