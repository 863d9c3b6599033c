"""The seed councils (issue 16): one per tier where the catalog has its models, audited like any
catalog change; the local one serves here, the hosted ones wait for their secrets; a re-seed
changes none of them."""

import pytest

from evaluation.catalog.routes import council_spec, get_model, servable
from evaluation.models import AIModel, CatalogChange, Council, Tier
from evaluation.seeds.councils import COUNCILS


@pytest.mark.django_db
def test_it_seeds_a_council_per_tier_and_the_tiers_name_them(seed_demo):
    seed_demo()

    assert set(Council.objects.values_list("model__key", flat=True)) == set(COUNCILS)
    tiers = {t.name: t.assignments for t in Tier.objects.all()}
    assert tiers["speed"]["accurate"] == "council/speed"
    assert tiers["balanced"]["accurate"] == "council/balanced"
    for key, composition in COUNCILS.items():
        council = get_model(key).council
        assert sorted(m.key for m in council.members.all()) == sorted(composition.members)
        assert council.chairman.key == composition.chairman
        change = CatalogChange.objects.get(object_label=key)
        assert change.kind == CatalogChange.Kind.CREATE
        assert change.reason == "seed catalog"


@pytest.mark.django_db
def test_the_local_council_serves_here_and_the_hosted_ones_wait_for_their_secrets(seed_demo):
    seed_demo()

    local = get_model("council/local")
    assert servable(local)
    spec = council_spec(local)
    assert [m.key for m in spec.members] == ["builtin/rules", "local/gemma-3-270m", "local/gemma-3-270m-short-whys"]
    assert spec.chairman.key == "builtin/rules"
    for key in ("council/speed", "council/balanced"):
        assert get_model(key).status == AIModel.Status.DISABLED


@pytest.mark.django_db
def test_a_re_seed_changes_no_council(seed_demo):
    seed_demo()
    Council.objects.filter(model__key="council/local").update(min_answers=3)

    seed_demo()

    assert Council.objects.get(model__key="council/local").min_answers == 3
    assert CatalogChange.objects.filter(object_label__startswith="council/").count() == len(COUNCILS)
