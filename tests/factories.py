"""factory-boy factories: users with exactly the permissions a case needs, and content."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from therapies import catalog, models

WAS_PUBLISHED = {"published", "superseded", "unpublished"}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True
    password = factory.django.Password("pw")


def make_user(username=None, *, perms=(), groups=(), superuser=False, statement=True, **kwargs):
    """A staff user with exactly `perms` ("therapies.approve_…" or bare codenames) and groups,
    and (unless `statement=False`) a current conflict-of-interest statement declaring none."""
    user = UserFactory(
        **({"username": username} if username else {}), is_superuser=superuser, **kwargs
    )
    if statement:
        models.ConflictOfInterestStatement.objects.get_or_create(
            user=user, defaults={"statement": "No relevant interests (test)."}
        )
    for perm in perms:
        app_label, _, codename = perm.rpartition(".")
        user.user_permissions.add(
            Permission.objects.get(
                codename=codename, content_type__app_label=app_label or "therapies"
            )
        )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return get_user_model().objects.get(pk=user.pk)  # fresh: no stale permission cache


def make_editor(username=None, **kwargs):
    return make_user(username, groups=["Editors"], **kwargs)


def make_moderator(username=None, **kwargs):
    return make_user(username, groups=["Moderators"], **kwargs)


class CancerTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CancerType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Cancer type {n}")
    slug = factory.Sequence(lambda n: f"cancer-type-{n}")


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Citation
        django_get_or_create = ("kind", "value")

    kind = models.Citation.Kind.PMID
    value = factory.Sequence(lambda n: str(10000000 + n))
    label = factory.LazyAttribute(lambda c: f"Example reference {c.value}")


class TherapyArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TherapyArticle

    slug = factory.Sequence(lambda n: f"therapy-{n}")


class CombinationEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CombinationEntry

    slug = factory.Sequence(lambda n: f"combination-{n}")


class TrialNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TrialNote

    nct_id = factory.Sequence(lambda n: f"NCT{90000000 + n:08d}")


class VersionFactory(factory.django.DjangoModelFactory):
    """Versions built directly, bypassing the workflow: for setting up a case's data."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    state = models.VersionState.DRAFT
    published_at = factory.LazyAttribute(
        lambda version: timezone.now() if version.state in WAS_PUBLISHED else None
    )
    approved_at = factory.SelfAttribute("published_at")
    # A version no longer live stopped being so when it was built, unless a case says when.
    live_until = factory.LazyAttribute(
        lambda version: (
            timezone.now()
            if version.state in WAS_PUBLISHED and version.state != models.VersionState.PUBLISHED
            else None
        )
    )
    title = factory.Sequence(lambda n: f"Title {n}")
    summary = "A short plain-text summary."
    body = "## Overview\n\nBody text with **emphasis**."

    @factory.post_generation
    def cites(self, create, extracted, **kwargs):
        """Every version cites one PubMed article unless `cites=False` (or a list of
        citations is given), so it passes the evidence checklist like real content."""
        if not create or extracted is False:
            return
        for position, citation in enumerate(extracted or [CitationFactory()]):
            self.citation_links.create(citation=citation, position=position)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """A version built as (once) published, bypassing the workflow: the public side
        (changelog, condition counts, page cache) learns of it as the workflow would tell
        it, once its links are set."""
        if create and instance.published_at is not None:
            catalog.public_change(instance)
            if isinstance(instance, models.TrialNoteVersion):
                catalog.recount_conditions(instance.conditions)


class TherapyArticleVersionFactory(VersionFactory):
    class Meta:
        model = models.TherapyArticleVersion
        skip_postgeneration_save = True

    item = factory.SubFactory(TherapyArticleFactory)
    therapy_class = models.TherapyClass.CHECKPOINT_INHIBITOR
    evidence_level = models.EvidenceLevel.STANDARD_OF_CARE
    key_agents = factory.LazyFunction(lambda: ["pembrolizumab"])


class CombinationEntryVersionFactory(VersionFactory):
    class Meta:
        model = models.CombinationEntryVersion
        skip_postgeneration_save = True

    item = factory.SubFactory(CombinationEntryFactory)
    evidence_level = models.EvidenceLevel.PHASE3
    key_trials = factory.LazyFunction(lambda: ["NCT01844505"])

    @factory.post_generation
    def therapies(self, create, extracted, **kwargs):
        if create:
            self.therapies.set(
                extracted
                if extracted is not None
                else [
                    TherapyArticleVersionFactory(state="published").item,
                    TherapyArticleVersionFactory(state="published").item,
                ]
            )


class TrialNoteVersionFactory(VersionFactory):
    class Meta:
        model = models.TrialNoteVersion
        skip_postgeneration_save = True

    item = factory.SubFactory(TrialNoteFactory)
    phase = models.TrialPhase.PHASE3
    overall_status = models.OverallStatus.COMPLETED
    conditions = factory.LazyFunction(lambda: ["Melanoma"])
    start_date = "2013-07"


VERSION_FACTORIES = {
    "therapy": TherapyArticleVersionFactory,
    "combination": CombinationEntryVersionFactory,
    "trial": TrialNoteVersionFactory,
}
