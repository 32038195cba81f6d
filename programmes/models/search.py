"""The search index's storage: derived from the content, never edited."""
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One searchable item as the search reads it: derived from the content, never edited.

    Everything a search needs is on the row, so a search is one query over one table instead of a
    query per kind, word and relation: what the item matches (its own texts plus the names of what
    it belongs to, once as a visitor may see them and once as the editorial team does), whether a
    visitor may see it, the years, programmes and cities the search filters on, and what a result
    shows. programmes.search.index keeps the rows in step with every write.
    """

    kind = models.CharField(max_length=16)
    item_id = models.BigIntegerField()
    public = models.BooleanField(default=False)  # visible to a visitor
    staff = models.BooleanField(default=False)  # visible to the editorial team
    title = models.TextField(blank=True)  # its searchable title (weight A)
    summary = models.TextField(blank=True)  # plain text (weight B)
    text = models.TextField(blank=True)  # plain text (weight C)
    names_public = models.TextField(blank=True)  # names of what it belongs to that a visitor may see
    names_staff = models.TextField(blank=True)
    words_public = models.TextField(blank=True)  # SQLite: " word word … ", own texts and names, for word-start LIKE
    words_staff = models.TextField(blank=True)
    years_public = models.CharField(max_length=400, blank=True)  # " 2023 2024 "
    years_staff = models.CharField(max_length=400, blank=True)
    programmes = models.CharField(max_length=400, blank=True)  # " 3 7 " (ids)
    cities = models.CharField(max_length=400, blank=True)
    sort_key = models.CharField(max_length=400, blank=True)  # the kind's order after the rank
    label = models.CharField(max_length=1000, blank=True)  # what a result shows: its title, address and line below
    url = models.CharField(max_length=2000, blank=True)
    meta = models.CharField(max_length=1000, blank=True)
    external = models.BooleanField(default=False)
    placeholder = models.BooleanField(default=False)
    digest = models.CharField(max_length=40, blank=True)  # of all the above: a row built again the same is not written
    own_vector = SearchVectorField(null=True)  # PostgreSQL: title A, summary B, text C (ranking)
    match_public = SearchVectorField(null=True)  # own_vector plus names_public as D (matching)
    match_staff = SearchVectorField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "item_id"], name="searchentry_unique_item")]

    def __str__(self):
        return f"{self.kind} {self.item_id}"
