"""The review link's page (/nalezen/<token>/): a draft edition for someone without an account.

The page shows the edition exactly as it will be published (the edition's own templates), limited
to the texts the link was made for, with a comment box and an "akkoord" under each of them. It
reveals nothing else: no other draft, no admin, no search; it is never cached or indexed, and a
link that expired or was revoked answers 410 Gone.
"""
import logging
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect

from kenniscentrum.security import client_ip

from .assembly import DraftScope, edition_assemble
from .models import ReviewLink, RoundComment, RoundText
from .round import review_link_texts
from .services import review_comment_add

logger = logging.getLogger(__name__)

PRIVATE_HEADERS = {
    # Never stored by the page cache, a proxy or the browser's history cache; never indexed; the
    # address (with its secret) never leaves for another site in a Referer header (same-origin: a stricter
    # no-referrer would make browsers send "Origin: null" with the form, which CSRF protection refuses).
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "same-origin",
}


class ReviewCommentForm(forms.Form):
    text = forms.IntegerField(widget=forms.HiddenInput)
    quote = forms.CharField(
        label="Over welke passage? (niet verplicht)", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "data-quote-field": ""}),
        help_text="Selecteer de zin in de tekst en kies 'Selectie overnemen', of kopieer hem hierin.",
    )
    body = forms.CharField(
        label="Uw opmerking", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
    )
    approve = forms.BooleanField(label="Akkoord met deze tekst", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quote"].widget.attrs["aria-describedby"] = f"{self.auto_id % 'quote'}-uitleg"

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("body") or "").strip() and not cleaned.get("approve"):
            raise ValidationError("Schrijf een opmerking of vink 'akkoord' aan.", code="empty")
        return cleaned


@dataclass
class ReviewBox:
    """The comment box under one text: this reviewer's earlier remarks and the form."""

    text: RoundText
    comments: list[RoundComment] = field(default_factory=list)
    form: ReviewCommentForm | None = None
    saved: bool = False

    @property
    def approved(self) -> bool:
        return any(comment.is_approval for comment in self.comments)

    @property
    def anchor(self) -> str:
        return f"nalezing-{self.text.pk}"


def _within_limit(key: str, limit: int, seconds: int) -> bool:
    """A fixed-window counter in the shared cache; with the cache away, nobody is held back."""
    try:
        if cache.add(key, 1, timeout=seconds):
            return True
        return cache.incr(key) <= limit
    except Exception:  # noqa: BLE001 - a cache outage must not lock reviewers out
        return True


def _respond(request, template, context, status=200):
    response = render(request, template, context, status=status)
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


@csrf_protect
def review_view(request, token: str):
    ip = client_ip(request) or "?"
    minute = timezone.now().strftime("%Y%m%d%H%M")
    if not _within_limit(f"review:ip:{ip}:{minute}", settings.REVIEW_LINK_REQUESTS_PER_MINUTE, 60):
        return _respond(request, "reports/review_limited.html", {}, status=429)
    link = ReviewLink.from_token(token)
    if link is None:
        raise Http404
    # Whoever opens the link sees what it shows, also a logged-in editor: no edit links, no drafts beyond it.
    request.user = AnonymousUser()
    if not link.is_active():
        return _respond(request, "reports/review_gone.html", {"link": link}, status=410)

    texts = list(review_link_texts(link=link).select_related("edition", "track_year__track", "section"))
    boxes = {text.pk: ReviewBox(text=text) for text in texts}
    status = 200
    if request.method == "POST":
        raw = request.POST.get("text", "")
        box = boxes.get(int(raw)) if raw.isdigit() else None
        if box is None:
            return _respond(request, "reports/review_gone.html", {"link": link, "out_of_scope": True}, status=400)
        hour = timezone.now().strftime("%Y%m%d%H")
        if not _within_limit(f"review:comments:{link.pk}:{hour}", settings.REVIEW_LINK_COMMENTS_PER_HOUR, 3600):
            return _respond(request, "reports/review_limited.html", {}, status=429)
        form = ReviewCommentForm(request.POST, auto_id=f"id_%s_{box.text.pk}")
        if form.is_valid():
            try:
                review_comment_add(
                    link=link, text_id=box.text.pk, body=form.cleaned_data["body"], approve=form.cleaned_data["approve"],
                    quote=form.cleaned_data["quote"],
                )
            except PermissionDenied:
                return _respond(request, "reports/review_gone.html", {"link": link}, status=410)
            except ValidationError as error:
                if getattr(error, "code", None) != "quote_not_in_text":
                    return _respond(request, "reports/review_gone.html", {"link": link}, status=410)
                form.add_error("quote", error)
            else:
                return redirect(f"{request.path}?bewaard={box.text.pk}#{box.anchor}")
        box.form, status = form, 400
    saved = request.GET.get("bewaard", "")
    for comment in RoundComment.objects.filter(review_link=link, text__in=list(boxes)):
        boxes[comment.text_id].comments.append(comment)
    for box in boxes.values():
        box.form = box.form or ReviewCommentForm(initial={"text": box.text.pk}, auto_id=f"id_%s_{box.text.pk}")
        box.saved = saved == str(box.text.pk)
    ReviewLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())

    scope = DraftScope(
        track_years=frozenset(t.track_year_id for t in texts if t.kind == RoundText.Kind.TRACK),
        sections=frozenset(t.section_id for t in texts if t.kind == RoundText.Kind.SECTION),
        foreword=any(t.kind == RoundText.Kind.FOREWORD for t in texts),
    )
    content = edition_assemble(edition=link.edition, user=AnonymousUser(), drafts=scope)
    by_track_year = {box.text.track_year_id: box for box in boxes.values() if box.text.kind == RoundText.Kind.TRACK}
    by_section = {box.text.section_id: box for box in boxes.values() if box.text.kind == RoundText.Kind.SECTION}

    def attach(items):
        for item in items:
            if item.entry.track_year_id:
                item.review_box = by_track_year.get(item.entry.track_year_id)
            item.is_draft = False  # as it will be published: no 'concept' label per text
            attach(item.children)

    attach(content.outline)
    for section in content.profile_sections + content.closing_sections:
        section.review_box = by_section.get(section.pk)
    context = {
        "link": link,
        "edition": link.edition,
        "content": content,
        "is_preview": False,
        "review": True,
        "foreword_review_box": next((b for b in boxes.values() if b.text.kind == RoundText.Kind.FOREWORD), None),
        "boxes": list(boxes.values()),
    }
    return _respond(request, "reports/review.html", context, status=status)
