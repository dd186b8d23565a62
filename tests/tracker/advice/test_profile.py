"""The optional profile and banner dismissals, stored in the local settings table."""

from tracker.advice import profile as P


def test_empty_profile_by_default_and_round_trip(store):
    assert P.load_profile(store) == P.Profile()
    assert P.load_profile(store).is_empty
    saved = P.save_profile(
        store,
        P.Profile(age_range="50_64", conditions=("diabetes",), medicines="metformin\n"),
    )
    assert saved.medicines == "metformin"
    assert P.load_profile(store) == saved
    assert P.load_profile(store).is_older


def test_saving_an_empty_profile_removes_the_setting(store):
    P.save_profile(store, P.Profile(age_range="under_30"))
    P.save_profile(store, P.Profile())
    assert store.get_setting(P.PROFILE_KEY) is None


def test_unknown_codes_and_garbage_are_ignored(store):
    store.set_setting(
        P.PROFILE_KEY, '{"age_range": "ancient", "conditions": ["diabetes", "x", 3, "diabetes"]}'
    )
    assert P.load_profile(store) == P.Profile(conditions=("diabetes",))
    store.set_setting(P.PROFILE_KEY, "not json")
    assert P.load_profile(store) == P.Profile()
    store.set_setting(P.PROFILE_KEY, "[1, 2]")
    assert P.load_profile(store) == P.Profile()


def test_dismissal_is_per_episode_and_reasons(store):
    assert not P.is_dismissed(store, 5, ("numbness",))
    P.dismiss(store, 5, ("numbness",))
    assert P.is_dismissed(store, 5, ("numbness",))
    assert not P.is_dismissed(store, 6, ("numbness",))  # the next episode brings it back
    assert not P.is_dismissed(store, 5, ("numbness", "intense"))  # a new reason too


def test_dismissals_are_capped(store):
    for i in range(P.MAX_DISMISSED + 20):
        P.dismiss(store, i, ("frequent",))
    assert not P.is_dismissed(store, 0, ("frequent",))
    assert P.is_dismissed(store, P.MAX_DISMISSED + 19, ("frequent",))


# ---- conditions as the articles name them
def test_offered_conditions_name_what_the_articles_name():
    offered = set(P.vocab.CONDITIONS_OFFERED)
    assert {
        "diabetes",
        "kidney_disease",
        "liver_disease",
        "circulation",
        "neuropathy",
        "multiple_sclerosis",
        "parkinsons",
        "stroke_brain_injury",
        "arthritis",
        "pregnancy",
    } <= offered
    # Codes released earlier never change: every one of them is still understood.
    released = {
        "diabetes",
        "kidney_disease",
        "liver_disease",
        "circulation",
        "neuropathy",
        "nervous_system",
        "arthritis",
        "restless_legs",
        "flat_feet",
        "pregnancy",
    }
    assert released <= set(P.vocab.CONDITIONS)
    assert "nervous_system" not in offered  # split into the three conditions it lumped together


def test_new_and_older_condition_codes_round_trip(store):
    profile = P.Profile(conditions=("multiple_sclerosis", "parkinsons", "stroke_brain_injury"))
    assert P.save_profile(store, profile) == profile
    assert P.load_profile(store) == profile
    store.set_setting(P.PROFILE_KEY, '{"conditions": ["nervous_system", "diabetes"]}')
    older = P.load_profile(store)
    assert older.conditions == ("nervous_system", "diabetes")
    assert P.save_profile(store, older) == older  # kept, not dropped or rewritten


def test_free_text_stays_free_text(store):
    text = "Type 2 diabetes, CKD stage 3"
    saved = P.save_profile(store, P.Profile(other_conditions=f"  {text} "))
    assert saved.other_conditions == text
    assert saved.conditions == ()  # never guessed into codes
    assert saved.doctor_conditions == () and saved.diet_caution_conditions == ()


def test_condition_groups():
    profile = P.Profile(conditions=("pregnancy", "arthritis", "kidney_disease", "nervous_system"))
    assert profile.doctor_conditions == ("arthritis", "kidney_disease", "nervous_system")
    assert profile.diet_caution_conditions == ("kidney_disease",)
    assert P.DIET_CAUTION_CONDITIONS <= P.DOCTOR_CONDITIONS <= set(P.vocab.CONDITIONS)
