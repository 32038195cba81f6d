"""Background work (django-tasks): the PDF of an edition rendered when it is published, not when the first
visitor asks for it. The worker is `manage.py db_worker` (docs/deployment.md)."""
import logging

from django.contrib.auth.models import AnonymousUser
from django_tasks import task

from .exports import published_edition_pdf
from .models import Edition

logger = logging.getLogger(__name__)


@task()
def edition_pdf_render(edition_id: int) -> bool:
    """Render and store the PDF of a published edition; whether a new file was rendered.

    Nothing happens for an edition that was unpublished (or deleted) before the worker got to it; a
    PDF already stored for the same HTML is not rendered again. A failure leaves the download to
    render it as before (and the failure in the task's result and the log).
    """
    edition = Edition.objects.visible_to(AnonymousUser()).filter(pk=edition_id).first()
    if edition is None:
        return False
    return published_edition_pdf(edition=edition).rendered
