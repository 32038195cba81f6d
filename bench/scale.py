"""Twenty years of content from the demo: copies of its tracks, texts, groups, meetings, links and partners.

Imported by the bench scripts after `benchenv.setup()` (it reads the models):

    from scale import scale_up
    year_maps = scale_up(20)
"""
import copy as copying
import time

from django.db import transaction

from programmes.models import Link, Meeting, Organisation, WorkingGroup, WorkTrack, WorkTrackYear
from programmes.search.index import rebuild as rebuild_search_index


def copy_of(original, **changes):
    """An unsaved copy of a model instance with some fields changed."""
    obj = copying.copy(original)
    obj.pk = obj.id = None
    for name, value in changes.items():
        setattr(obj, name, value)
    return obj


@transaction.atomic
def scale_up(times: int) -> list[dict]:
    """Copies of the demo's content (times - 1 more of each), with their cities, partners and links.

    Returns, per copy, {original track-year pk: its copy}, so a caller can place the copied texts.
    """
    tracks = list(WorkTrack.objects.prefetch_related("cities", "lead_cities", "partners").order_by("pk"))
    years = list(WorkTrackYear.objects.order_by("pk"))
    groups = list(WorkingGroup.objects.prefetch_related("cities", "partners", "tracks").order_by("pk"))
    meetings = list(Meeting.objects.order_by("pk"))
    links = list(Link.objects.filter(track_year__isnull=False).order_by("pk"))
    partners = list(Organisation.objects.order_by("pk"))
    year_maps = []
    for copy in range(2, times + 1):
        new_partners = Organisation.objects.bulk_create(
            [copy_of(p, name=f"{p.name} {copy}", slug=f"{p.slug}-{copy}") for p in partners]
        )
        partner_map = {old.pk: new for old, new in zip(partners, new_partners)}
        new_tracks = WorkTrack.objects.bulk_create([
            copy_of(t, title=f"{t.title} ({copy})", slug=f"{t.slug}-{copy}", parent=None)
            for t in tracks
        ])
        track_map = {old.pk: new for old, new in zip(tracks, new_tracks)}
        for old in tracks:
            new = track_map[old.pk]
            new.cities.set(old.cities.all())
            new.lead_cities.set(old.lead_cities.all())
            new.partners.set([partner_map[p.pk] for p in old.partners.all()])
        new_years = WorkTrackYear.objects.bulk_create([
            copy_of(y, track=track_map[y.track_id]) for y in years
        ])
        year_map = {old.pk: new for old, new in zip(years, new_years)}
        year_maps.append(year_map)
        new_groups = WorkingGroup.objects.bulk_create([
            copy_of(g, name=f"{g.name} ({copy})", slug=f"{g.slug}-{copy}") for g in groups
        ])
        group_map = {old.pk: new for old, new in zip(groups, new_groups)}
        for old in groups:
            new = group_map[old.pk]
            new.cities.set(old.cities.all())
            new.partners.set([partner_map[p.pk] for p in old.partners.all()])
            new.tracks.set([track_map[t.pk] for t in old.tracks.all()])
        Meeting.objects.bulk_create([
            copy_of(m, group=group_map.get(m.group_id), track=track_map.get(m.track_id)) for m in meetings
        ])
        Link.objects.bulk_create([copy_of(link, track_year=year_map[link.track_year_id]) for link in links])
    started = time.perf_counter()
    rebuild_search_index()  # bulk_create bypasses save() and its signals
    print(f"search index rebuilt in {time.perf_counter() - started:.1f} s")
    return year_maps
