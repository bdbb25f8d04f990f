"""The orientation workflow, declared as data.

Each allowed transition names the roles that may trigger it:
- "receiver": a member of the receiving structure's organisation, or the
  holder of a valid magic link for that orientation;
- "prescriber": the user who sent it, or a member of their organisation;
- "system": the `maillage orientation chores` command (reminders, expiry);
- "staff": platform staff may always act, and their action is logged too.
Tests walk this table (tests/orientation/test_workflow.py).
"""

from .vocabulary import OrientationState as S

TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.SENT, S.REVIEW): frozenset({"receiver"}),
    (S.REVIEW, S.ACCEPTED): frozenset({"receiver"}),
    (S.REVIEW, S.REFUSED): frozenset({"receiver"}),
    (S.SENT, S.EXPIRED): frozenset({"system"}),
    (S.REVIEW, S.EXPIRED): frozenset({"system"}),
    (S.SENT, S.CANCELLED): frozenset({"prescriber"}),
    (S.REVIEW, S.CANCELLED): frozenset({"prescriber"}),
}


def allowed(from_state: str, to_state: str, roles: set[str]) -> bool:
    who = TRANSITIONS.get((from_state, to_state))
    if who is None:
        return False
    return bool(who & roles) or ("staff" in roles and "system" not in who)
