"""Who may see unpublished material: the one rule behind every `visible_to(user)`.

Drafts, texts waiting for review and non-public items are for the editorial team only: a
Redacteur, an Eindredacteur or a superuser. Being staff is not enough (a staff account without a
role sees what the public sees).
"""
import enum

from django.db import models

VIEW_UNPUBLISHED_PERMISSION = "programmes.view_unpublished"


class Audience(enum.Enum):
    """The two ways of seeing the content there are: as the public, or as the editorial team.

    Not a person: what is built once for everyone who sees alike (the search index keeps its rows
    for both) asks `visible_to(Audience.PUBLIC)` or `visible_to(Audience.EDITORIAL_TEAM)`, and a
    request picks its audience with `Audience.of(request.user)`. The values name the index columns.
    """

    PUBLIC = "public"
    EDITORIAL_TEAM = "staff"

    @classmethod
    def of(cls, user) -> "Audience":
        return cls.EDITORIAL_TEAM if can_see_unpublished(user) else cls.PUBLIC


def can_see_unpublished(user) -> bool:
    """Whether `user` (a user, or an `Audience`) sees drafts and private items."""
    if isinstance(user, Audience):
        return user is Audience.EDITORIAL_TEAM
    return bool(user is not None and user.is_active and user.is_authenticated and user.has_perm(VIEW_UNPUBLISHED_PERMISSION))


class VisibilityQuerySet(models.QuerySet):
    """A QuerySet of a model with public/private or draft/published state.

    Subclasses say what the public may see in `public()`; every page, export, feed, sitemap, search
    and filter choice list asks `visible_to(user)`.
    """

    def public(self):
        raise NotImplementedError

    def visible_to(self, user):
        return self if can_see_unpublished(user) else self.public()
