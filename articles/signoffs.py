"""The sign-off chain: who wrote, edited, approved and published a story, and the sign-off line
made from it.

Each revision carries the chain as of that revision (`Revision.chain`), a list of entries
`{"role", "user": {"id", "username", "name"}, "signoff"}` in role order. The chain grows by
what each recorded change did (`next_chain`):

    create                   the person who created the story is its writer
    edit, restore            a person other than the writer becomes its editor (the latest one)
    publish_changes          the working draft's last editor (if not the writer) becomes editor
    approve                  the person approving becomes its approver
    publish, schedule,       the person publishing becomes its publisher, and its approver too
    publish_changes          when nobody approved it before

The system (the importer, the demo loader, commands) adds nobody. A scheduled working draft going
live by itself is published as the person who scheduled it: they become its publisher.

**The sign-off line rule.** A story's sign-off line is the desk codes of its writer, editor and
approver, in that order, each code once, joined by "/" (writer "S", editor "SH" → "S/SH"); the
publisher's code is kept apart (`Article.published_signoff`). A person without a desk code is left
out, and so is a code that would make the line longer than the field's 32 characters (codes are
never cut). When nobody in the chain has a code, the line is what was typed into the sign-off field.
Imported stories keep the sign-off they came with: the rule never rewrites it.
"""

ROLES = ("writer", "editor", "approver", "publisher")
_LINE_ROLES = ("writer", "editor", "approver")
MAX_LINE = 32  # Article.signoff's length


def person(user) -> dict:
    """A user as the chain and the API name them."""
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name() or user.get_username()}


def desk_code(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.signoff_initials if profile else ""


def _entry(role: str, user) -> dict:
    return {"role": role, "user": person(user), "signoff": desk_code(user)}


def _with(chain: list[dict], role: str, user) -> list[dict]:
    """`chain` with `user` in `role` (replacing whoever held it), in role order."""
    kept = [entry for entry in chain if entry["role"] != role] + [_entry(role, user)]
    return sorted(kept, key=lambda entry: ROLES.index(entry["role"]))


def _holder(chain: list[dict], role: str) -> int | None:
    for entry in chain:
        if entry["role"] == role:
            return entry["user"]["id"]
    return None


def _as_editor(chain: list[dict], user) -> list[dict]:
    """An edit: by the writer changes nothing, by anyone else makes them the editor."""
    return chain if user.pk == _holder(chain, "writer") else _with(chain, "editor", user)


def _as_publisher(chain: list[dict], user) -> list[dict]:
    """Publishing: the publisher, and the approver too when nobody approved the story."""
    if _holder(chain, "approver") is None:
        chain = _with(chain, "approver", user)
    return _with(chain, "publisher", user)


_STEPS = {
    "create": lambda chain, user: _with(chain, "writer", user),
    "edit": _as_editor,
    "restore": _as_editor,
    "approve": lambda chain, user: _with(chain, "approver", user),
    "publish": _as_publisher,
    "schedule": _as_publisher,
    "publish_changes": _as_publisher,
}


def next_chain(chain: list[dict], *, user, action: str, editor=None) -> list[dict]:
    """The chain after `user` (None: the system) did `action`; `editor`: the working draft's
    last editor, for `publish_changes`."""
    chain = [dict(entry) for entry in chain]
    if action == "publish_changes" and editor is not None:
        chain = _as_editor(chain, editor)
    step = _STEPS.get(action)
    return chain if user is None or step is None else step(chain, user)


def signoff_line(chain: list[dict], typed: str = "") -> str:
    """The sign-off line the rule above makes of `chain` (`typed`: the sign-off field's text)."""
    codes: list[str] = []
    for role in _LINE_ROLES:
        for entry in chain:
            code = entry["signoff"]
            if entry["role"] == role and code and code not in codes and len("/".join([*codes, code])) <= MAX_LINE:
                codes.append(code)
    return "/".join(codes) if codes else typed
