"""The models of reports, one module per topic; import them from here (`from reports.models import Edition`)."""
from .editions import (  # noqa: F401
    MAX_IMAGE_BYTES, Edition, EditionEntry, EditionImage, EditionImageQuerySet, EditionQuerySet, EditionSection, PhotoCredit, SectionLink,
    SectionLinkQuerySet, validate_image_size,
)
from .rounds import (  # noqa: F401
    AUTHOR_OPEN, FINISHED, REVIEW_LINK_SALT, Reminder, ReminderPreference, ReviewLink, RoundComment, RoundStatus, RoundText,
    SentMail,
)
