"""The optional health profile, and which doctor banners the person has dismissed.

Both live only in the local database's settings table (never exported, never sent anywhere).
Every profile answer may be skipped: an empty profile simply switches off the rules that need it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

from tracker.diary import vocab

# Conditions about which the articles advise seeing a doctor when cramps come (a002: "an
# underlying medical condition, such as diabetes or kidney failure", kidney or liver failure;
# a001: circulation and nervous-system disorders, a structural imbalance of the feet; a003:
# multiple sclerosis, diabetic neuropathy). Pregnancy is not among them: the articles only say
# night cramps are common then. The doctor rules and the tips share this set.
DOCTOR_CONDITIONS = frozenset(vocab.CONDITIONS) - {"pregnancy"}
# Conditions for which changing diet, drinks or supplements is a matter for the doctor: the
# kidneys and liver set mineral levels (a002, organ problems), and diabetes is managed with the
# diet a doctor recommends (a002, treatment). Tips about fluids and minerals carry a caution.
DIET_CAUTION_CONDITIONS = frozenset({"diabetes", "kidney_disease", "liver_disease"})

PROFILE_KEY = "profile"
DISMISSED_KEY = "doctor_banner.dismissed"
MAX_DISMISSED = 500  # keep the settings row small; old episodes no longer show banners anyway
MAX_TEXT = 2000


class SettingsStore(Protocol):
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...

    def set_setting(self, key: str, value: str | None) -> None: ...


@dataclass(frozen=True)
class Profile:
    age_range: str | None = None  # a vocab.AGE_RANGES code
    conditions: tuple[str, ...] = ()  # vocab.CONDITIONS codes (legacy codes included)
    other_conditions: str = ""  # free text for the person; never matched, never mapped to a code
    medicines: str = ""  # free text, one per line; only whether it is empty is used for matching

    @property
    def is_empty(self) -> bool:
        return not (self.age_range or self.conditions or self.other_conditions or self.medicines)

    @property
    def is_older(self) -> bool:
        return self.age_range in vocab.OLDER_AGE_RANGES

    @property
    def doctor_conditions(self) -> tuple[str, ...]:
        """The named conditions about which the articles advise seeing a doctor."""
        return tuple(c for c in self.conditions if c in DOCTOR_CONDITIONS)

    @property
    def diet_caution_conditions(self) -> tuple[str, ...]:
        """The named conditions that make diet, drink or supplement changes a doctor's call."""
        return tuple(c for c in self.conditions if c in DIET_CAUTION_CONDITIONS)

    def to_json(self) -> str:
        return json.dumps(
            {
                "age_range": self.age_range,
                "conditions": list(self.conditions),
                "other_conditions": self.other_conditions,
                "medicines": self.medicines,
            }
        )


def clean(profile: Profile) -> Profile:
    """Drop unknown codes and over-long text, so a hand-edited setting can never crash the app."""
    age = profile.age_range if profile.age_range in vocab.AGE_RANGES else None
    conditions = tuple(dict.fromkeys(c for c in profile.conditions if c in vocab.CONDITIONS))
    return Profile(
        age_range=age,
        conditions=conditions,
        other_conditions=str(profile.other_conditions or "").strip()[:MAX_TEXT],
        medicines=str(profile.medicines or "").strip()[:MAX_TEXT],
    )


def load_profile(store: SettingsStore) -> Profile:
    raw = store.get_setting(PROFILE_KEY)
    if not raw:
        return Profile()
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            return Profile()
        conditions = data.get("conditions") or ()
        return clean(
            Profile(
                age_range=data.get("age_range"),
                conditions=tuple(c for c in conditions if isinstance(c, str)),
                other_conditions=data.get("other_conditions") or "",
                medicines=data.get("medicines") or "",
            )
        )
    except (ValueError, TypeError):
        return Profile()


def save_profile(store: SettingsStore, profile: Profile) -> Profile:
    """Store the cleaned profile; an empty one removes the setting entirely."""
    profile = clean(profile)
    store.set_setting(PROFILE_KEY, None if profile.is_empty else profile.to_json())
    return profile


def _dismissed(store: SettingsStore) -> list[str]:
    try:
        data = json.loads(store.get_setting(DISMISSED_KEY) or "[]")
    except ValueError:
        return []
    return [d for d in data if isinstance(d, str)] if isinstance(data, list) else []


def dismissal_key(episode_id: int | None, rule_ids: tuple[str, ...]) -> str:
    """Dismissal covers one episode and the reasons shown; a new reason brings the banner back."""
    return f"{episode_id}:{','.join(sorted(rule_ids))}"


def is_dismissed(store: SettingsStore, episode_id: int | None, rule_ids: tuple[str, ...]) -> bool:
    return dismissal_key(episode_id, rule_ids) in _dismissed(store)


def dismiss(store: SettingsStore, episode_id: int | None, rule_ids: tuple[str, ...]) -> None:
    items = _dismissed(store)
    key = dismissal_key(episode_id, rule_ids)
    if key not in items:
        items.append(key)
    store.set_setting(DISMISSED_KEY, json.dumps(items[-MAX_DISMISSED:]))


def undismiss(store: SettingsStore, episode_id: int | None, rule_ids: tuple[str, ...]) -> bool:
    """Bring back a dismissed reason (Help > Health notices); True if it had been dismissed."""
    items = _dismissed(store)
    key = dismissal_key(episode_id, rule_ids)
    if key not in items:
        return False
    store.set_setting(DISMISSED_KEY, json.dumps([i for i in items if i != key]))
    return True
