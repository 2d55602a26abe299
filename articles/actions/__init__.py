"""Every change to articles, sections and tags goes through one of these functions.

Each checks the actor's permission, changes the rows inside a transaction (the article's row
locked), records a revision where there is one and exactly one audit entry (`articles.audit`),
and announces what it touched (`changes.announce`), which listeners such as the page cache hear
once the transaction commits. Admin views, API views and management commands call these and
nothing else; a change made with the ORM directly is neither recorded nor announced.

`actor=None` means the system itself (the demo loader, the archive importer): no permission
check, no name on the record. Refusals raise `PermissionDenied` (not allowed for this role),
`ValidationError` (not possible in this state) or `StaleEdit` (based on an older version); a
refused call changes nothing.

    editing      save_article, restore_revision, delete_article (and StaleEdit)
    workflow     submit_for_review, approve, publish, schedule, unpublish, archive, set_timeline, embargo
    drafts       save_draft, discard_draft, publish_draft, unschedule_draft, publish_due_drafts
                 (the working draft of a live story; StaleDraft, DraftConflict)
    autosave     autosave, discard_autosave, autosave_of (private scratch: no revision, no audit)
    presence     check_in, leave, take_over, present, holder, save_refusal
    notes        add_note, may_read_notes, mentioned_users
    corrections  add_correction (public, dated notes on a live story; NotLive)
    taxonomy     save_section, delete_section, save_tag, delete_tag
    authors      save_author, delete_author, may_manage_authors (bylines: save_article's author_ids)
    permissions  can_edit, can_publish, editors_only_changes
    media_rules  what the media library asks of articles (its usage provider)
"""

from articles.actions.authors import delete_author, may_manage_authors, save_author
from articles.actions.autosave import autosave, autosave_of, discard_autosave
from articles.actions.corrections import NotLive, add_correction
from articles.actions.drafts import (
    DraftConflict,
    StaleDraft,
    content_of,
    discard_draft,
    publish_draft,
    publish_due_drafts,
    save_draft,
    unschedule_draft,
)
from articles.actions.editing import (
    STATE_FIELDS,
    StaleEdit,
    delete_article,
    restore_revision,
    save_article,
    set_related,
)
from articles.actions.media_rules import may_edit_media, media_live_use, media_usage_provider, record_media_change
from articles.actions.notes import add_note, may_read_notes, mentioned_users
from articles.actions.permissions import EDITORS_ONLY_FIELDS, can_edit, can_publish, editors_only_changes
from articles.actions.presence import check_in, holder, leave, present, save_refusal, take_over
from articles.actions.taxonomy import delete_section, delete_tag, save_section, save_tag
from articles.actions.workflow import (
    approve,
    archive,
    embargo,
    publish,
    schedule,
    set_timeline,
    submit_for_review,
    unpublish,
)

__all__ = [
    "EDITORS_ONLY_FIELDS",
    "STATE_FIELDS",
    "DraftConflict",
    "NotLive",
    "StaleDraft",
    "StaleEdit",
    "add_correction",
    "add_note",
    "approve",
    "archive",
    "autosave",
    "autosave_of",
    "can_edit",
    "can_publish",
    "check_in",
    "content_of",
    "delete_article",
    "delete_author",
    "delete_section",
    "delete_tag",
    "discard_autosave",
    "discard_draft",
    "editors_only_changes",
    "embargo",
    "holder",
    "leave",
    "may_edit_media",
    "may_manage_authors",
    "may_read_notes",
    "media_live_use",
    "media_usage_provider",
    "mentioned_users",
    "present",
    "publish",
    "publish_draft",
    "publish_due_drafts",
    "record_media_change",
    "restore_revision",
    "save_article",
    "save_author",
    "save_draft",
    "save_refusal",
    "save_section",
    "save_tag",
    "schedule",
    "set_related",
    "set_timeline",
    "submit_for_review",
    "take_over",
    "unpublish",
    "unschedule_draft",
]
