"""Who may see unpublished material: the one rule behind every `visible_to(user)`.

Drafts, texts waiting for review and non-public items are for the editorial team only: a
Redacteur, an Eindredacteur or a superuser. Being staff is not enough (a staff account without a
role sees what the public sees).
"""
from django.db import models

VIEW_UNPUBLISHED_PERMISSION = "programmes.view_unpublished"


def can_see_unpublished(user) -> bool:
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
