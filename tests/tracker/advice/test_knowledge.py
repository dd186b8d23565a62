"""The tips knowledge base: schema, sources, own wording, and coverage of every article's advice."""

import copy
import json
import re
from pathlib import Path

import pytest

from tracker.advice import knowledge
from tracker.diary import vocab

ROOT = Path(__file__).resolve().parents[3]
ARTICLES = ROOT.parent / "shared" / "articles"
COPY_RUN = 8  # words in a row a tip may never share with an article


def _raw():
    tips = json.loads(knowledge.TIPS_FILE.read_text(encoding="utf-8"))
    sources = json.loads(knowledge.SOURCES_FILE.read_text(encoding="utf-8"))
    return tips, sources


def _parse(tips_data, sources_data):
    return knowledge.parse_tips(tips_data, knowledge.parse_sources(sources_data))


def test_shipped_knowledge_base_loads():
    kb = knowledge.load()
    assert len(kb.tips) >= 60
    assert {t.kind for t in kb.tips} == set(vocab.TIP_KINDS)
    assert set(kb.sources) == {"a000", "a001", "a002", "a003", "a004"}
    for tip in kb.tips:
        assert tip.sources and all(s in kb.sources for s in tip.sources)
        assert set(tip.factors) <= set(vocab.TIP_FACTORS)
        assert 1 <= knowledge.count_sentences(tip.text) <= 3, tip.id


def test_every_source_is_used_and_factor_covered():
    kb = knowledge.default()
    used = {s for t in kb.tips for s in t.sources}
    assert used == set(kb.sources)
    tagged = {f for t in kb.tips for f in t.factors}
    assert tagged == set(vocab.TIP_FACTORS)


def test_sources_give_title_author_and_date_as_the_articles_do():
    kb = knowledge.default()
    assert kb.sources["a000"].date == "2021-08-06"
    assert kb.sources["a000"].title.startswith("This Is Why You Get Painful Toe Cramps")
    assert kb.sources["a004"].author == "sahina bano"
    assert kb.sources["a004"].date == "2021-06-28"
    assert kb.sources["a003"].title == "This is how you can avoid toe cramps"
    assert kb.sources["a002"].citation() == (
        "\u201cToe cramps: possible causes and how to get relief\u201d"
    )
    assert kb.sources["a004"].citation() == (
        "\u201cWhat to Do If Your Toes/Feet Cramp\u201d (sahina bano, 28 June 2021)"
    )
    assert kb.sources["a000"].citation().endswith("Relief\u201d (6 August 2021)")
    assert kb.sources["a003"].details() == []  # no author, date or expert: nothing to say
    assert ("Written by", "sahina bano") in kb.sources["a004"].details()
    assert ("Published", "28 June 2021") in kb.sources["a004"].details()


# What once made the sources look unfinished to a reader.
UNFINISHED = ("our label", "untitled", "not named", "not given", "none given", "our copy")


def test_citations_and_details_read_as_a_reader_expects():
    """Titles as the articles write them (or a plain descriptive one), and only what each
    article gives: nothing about what it leaves out, no notes about our copy."""
    for source in knowledge.default().sources.values():
        shown = " ".join([source.citation(), *(f"{k} {v}" for k, v in source.details())])
        for word in UNFINISHED:
            assert word not in shown.lower(), (source.id, word)
        assert source.internal_note and source.internal_note not in shown


def test_internal_notes_stay_in_the_data_file():
    _, sources = _raw()
    for raw in sources["sources"]:
        assert "remark" not in raw  # renamed: a note for us, never shown
        assert raw["internal_note"]


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda t: t.update(sources=[]), "has no source"),
        (lambda t: t.update(sources=["a999"]), "unknown source"),
        (lambda t: t.update(factors=["weather"]), "unknown factor"),
        (lambda t: t.update(kind="cure"), "unknown kind"),
        (lambda t: t.pop("sources"), "missing sources"),
        (lambda t: t.update(text="One. Two. Three. Four."), "1 to 3 sentences"),
        (lambda t: t.update(colour="red"), "unknown field"),
        (lambda t: t.update(title="  "), "title and text must not be empty"),
        (lambda t: t.update(factors=["age", "age"]), "a factor is listed twice"),
        (lambda t: t.update(factors="age"), "unknown factor"),
    ],
)
def test_schema_check_rejects_bad_tips(mutate, message):
    tips, sources = _raw()
    broken = copy.deepcopy(tips)
    mutate(broken["tips"][3])
    with pytest.raises(knowledge.KnowledgeError, match=message):
        _parse(broken, sources)


def test_schema_check_rejects_duplicate_ids():
    tips, sources = _raw()
    tips["tips"].append(dict(tips["tips"][0]))
    with pytest.raises(knowledge.KnowledgeError, match="listed twice"):
        _parse(tips, sources)


def test_schema_check_names_the_first_problem_in_order():
    """The fields are checked before a repeated id, the id before the content."""
    tips, sources = _raw()
    again = dict(tips["tips"][0], colour="red", kind="cure")
    with pytest.raises(knowledge.KnowledgeError, match="unknown field"):
        _parse({"tips": [*tips["tips"], again]}, sources)
    again.pop("colour")
    with pytest.raises(knowledge.KnowledgeError, match="listed twice"):
        _parse({"tips": [*tips["tips"], again]}, sources)
    with pytest.raises(knowledge.KnowledgeError, match="a tip has no id"):
        _parse({"tips": [{"title": "x"}]}, sources)
    with pytest.raises(knowledge.KnowledgeError, match="the list is empty"):
        _parse({"tips": []}, sources)


def test_load_reports_unreadable_file(tmp_path):
    bad = tmp_path / "tips.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(knowledge.KnowledgeError, match="cannot read"):
        knowledge.load(bad, knowledge.SOURCES_FILE)


def test_search_by_word_kind_and_factor():
    kb = knowledge.default()
    heels = kb.search("high heels")
    assert {"avoid-heels", "shoes-cause"} <= {t.id for t in heels}
    relief = kb.search(kind="relief")
    assert relief and all(t.kind == "relief" for t in relief)
    hyd = kb.search(kind="prevention", factor="hydration")
    assert {t.id for t in hyd} >= {"drink-water", "electrolyte-drinks"}
    assert kb.search("zebra") == []


def test_articles_disagreement_on_aspirin_is_stated():
    tip = knowledge.default().tip("relief-pain-medicine")
    assert "aspirin" in tip.text and "disagree" in tip.title.lower()
    assert set(tip.sources) == {"a002", "a004"}
    # a004 says not without a doctor's recommendation: no pharmacist added on its behalf.
    assert "pharmacist" not in tip.text and "check with your doctor" in tip.text


# Tips reworded to say what their articles say, no more and no less: each keeps its sources.
REWORDED = {
    "relief-heat": ("a002", "a004"),
    "relief-cold": ("a004",),
    "relief-pain-medicine": ("a002", "a004"),
    "relief-no-folk-remedies": ("a004",),
    "relief-stay-calm": ("a000", "a002", "a004"),
    "electrolyte-drinks": ("a001",),
    "varied-diet": ("a003",),
    "exercise-regularly": ("a001", "a002", "a003"),
    "stretch-daily": ("a002",),
    "toe-exercises": ("a002",),
    "good-technique": ("a004",),
    "avoid-heels": ("a002", "a003"),
    "night-cramps": ("a003",),
    "what-a-cramp-is": ("a000", "a003"),
    "dehydration-cause": ("a001", "a002", "a003", "a004"),
    "electrolytes-cause": ("a001", "a002", "a003", "a004"),
    "low-calcium-tetany": ("a002",),
    "overexertion": ("a001", "a002", "a004"),
    "inactivity": ("a002", "a003", "a004"),
    "shoes-cause": ("a001", "a002", "a003", "a004"),
    "stiff-shoes": ("a004",),
    "foot-structure": ("a001", "a004"),
    "poor-circulation": ("a002", "a003", "a004"),
    "dystonia": ("a002",),
    "organ-problems": ("a002",),
    "age-changes": ("a001", "a003"),
    "doctor-frequent": ("a001", "a003"),
}


@pytest.mark.parametrize("tip_id", sorted(REWORDED))
def test_reworded_tips_still_cite_their_articles(tip_id):
    assert knowledge.default().tip(tip_id).sources == REWORDED[tip_id]


def test_wording_does_not_overstate_the_articles():
    """The articles say "most" cramps are harmless and pass; a004 warns only against needle
    pricks (not other remedies) without a doctor; a002 says heat "sometimes" helps."""
    kb = knowledge.default()
    everything = " ".join(f"{t.title} {t.text}" for t in kb.tips).lower()
    for overstated in ("nearly all", "nearly always", "folk tricks", "a known trigger"):
        assert overstated not in everything
    assert "most cramps are harmless" in kb.tip("what-a-cramp-is").text
    assert "Most fade by themselves" in kb.tip("relief-stay-calm").text
    needle = kb.tip("relief-no-folk-remedies")
    assert "needle" in needle.title.lower() and "doctor" in needle.title.lower()
    assert kb.tip("relief-heat").text.startswith("Warmth sometimes helps")


def _words(text):
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


@pytest.mark.skipif(not ARTICLES.is_dir(), reason="source articles not next to the repository")
def test_no_tip_copies_a_run_of_words_from_an_article():
    runs = set()
    for path in sorted(ARTICLES.glob("*.txt")):
        w = _words(path.read_text(encoding="utf-8"))
        runs |= {tuple(w[i : i + COPY_RUN]) for i in range(len(w) - COPY_RUN + 1)}
    assert len(runs) > 3000
    copied = []
    for tip in knowledge.default().tips:
        w = _words(tip.text)
        for i in range(len(w) - COPY_RUN + 1):
            if tuple(w[i : i + COPY_RUN]) in runs:
                copied.append((tip.id, " ".join(w[i : i + COPY_RUN])))
    assert copied == []


def _all_doctor_messages():
    from tests.tracker.advice.test_doctor_rules import all_rules_diary, ever
    from tracker.advice import doctor_rules

    history, profile = all_rules_diary()
    alerts = ever(history, profile)
    assert set(alerts) == {r.id for r in doctor_rules.RULES}
    return [a.message for a in alerts.values()] + [doctor_rules.NOT_DIAGNOSIS]


@pytest.mark.skipif(not ARTICLES.is_dir(), reason="source articles not next to the repository")
def test_no_doctor_message_copies_an_article():
    runs = set()
    for path in sorted(ARTICLES.glob("*.txt")):
        w = _words(path.read_text(encoding="utf-8"))
        runs |= {tuple(w[i : i + COPY_RUN]) for i in range(len(w) - COPY_RUN + 1)}
    copied = []
    for message in _all_doctor_messages():
        w = _words(message)
        copied += [
            " ".join(w[i : i + COPY_RUN])
            for i in range(len(w) - COPY_RUN + 1)
            if tuple(w[i : i + COPY_RUN]) in runs
        ]
    assert copied == []


@pytest.mark.skipif(not ARTICLES.is_dir(), reason="source articles not next to the repository")
def test_copy_check_would_catch_a_copied_sentence():
    text = (ARTICLES / "002_664b0b56e37c5840.txt").read_text(encoding="utf-8")
    w = _words(text)
    runs = {tuple(w[i : i + COPY_RUN]) for i in range(len(w) - COPY_RUN + 1)}
    copied = _words("The feet feel numb. Cramps do not get better without treatment within a week.")
    assert any(tuple(copied[i : i + COPY_RUN]) in runs for i in range(len(copied) - COPY_RUN + 1))


# Every distinct piece of advice in the five articles, and the tip(s) that carry it. Removing a
# tip, or moving the advice out of it, makes this fail.
ADVICE = {
    # what a cramp is
    "cramp = involuntary contraction that does not relax, seconds to minutes": ["what-a-cramp-is"],
    "most cramps harmless and pass on their own": ["what-a-cramp-is", "relief-stay-calm"],
    "extrinsic (leg) and intrinsic (foot) muscles; ankle/Achilles tension": ["where-cramps-start"],
    "science unsure of causes; several causes at once": ["causes-uncertain"],
    # causes
    "cause: dehydration": ["dehydration-cause"],
    "cause: dehydration worse with injured/overworked muscles or tight shoes": [
        "dehydration-plus-strain"
    ],
    "cause: electrolytes potassium sodium calcium magnesium": ["electrolytes-cause"],
    "cause: tetany (low calcium)": ["low-calcium-tetany"],
    "cause: lack of vitamin D": ["vitamin-d"],
    "cause: high protein intake hinders calcium": ["high-protein"],
    "cause: muscle tightness, no stretching before exercise": ["stretch-before-exercise"],
    "cause: new routine, overexertion, hard workouts, bad technique": ["overexertion"],
    "cause: too much too fast after inactivity": ["ease-back-in"],
    "cause: sedentary lifestyle, lack of activity, one position too long": ["inactivity"],
    "cause: ill-fitting, tight, loose, pointy shoes, high heels": ["shoes-cause"],
    "cause: tight shoes restrict circulation, numbness": ["shoes-cause"],
    "cause: stiff shoes and deep foot muscles": ["stiff-shoes"],
    "cause: structural imbalance of the feet, flat feet": ["foot-structure"],
    "cause: sprains, strains, falls, blows, overextension": ["injury-cause"],
    "cause: poor circulation from sitting, crossed legs, diabetes, vessel disease": [
        "poor-circulation"
    ],
    "cause: peripheral artery disease": ["pad"],
    "cause: restless legs syndrome, a third of over-50s": ["restless-legs"],
    "cause: pregnancy night cramps": ["pregnancy"],
    "cause: neuropathy, diabetes": ["neuropathy"],
    "cause: MS, Parkinson's, stroke, nervous/circulatory system": ["nervous-system"],
    "cause: dystonia": ["dystonia"],
    "cause: arthritis": ["arthritis"],
    "cause: kidney/liver/organ failure": ["organ-problems"],
    "cause: infection, tetanus": ["infection"],
    "cause: lumbar spine pinched nerves": ["lower-back"],
    "cause: stress, rapid weight loss, hypothermia, illness": ["stress-weight-cold-illness"],
    "cause: medicine side effects": ["medicine-side-effects"],
    "cause: age; chronic in women over 50": ["age-changes"],
    # relief during a cramp
    "relief: flex/extend toes, rotate ankles 5-10 times": ["relief-stretch-toes"],
    "relief: pull toes toward you": ["relief-pull-toes"],
    "relief: massage gently then firmer": ["relief-massage"],
    "relief: heat, warm towel, heating pad, alternate hot and cold": ["relief-heat"],
    "relief: cold floor or ice": ["relief-cold"],
    "relief: RICE for minor injuries": ["relief-rice"],
    "relief: NSAIDs vs no aspirin without a doctor (disagreement)": ["relief-pain-medicine"],
    "relief: do not prick with a needle": ["relief-no-folk-remedies"],
    "relief: do not panic": ["relief-stay-calm"],
    "relief: no single correct treatment; most night-cramp sufferers untreated": ["night-cramps"],
    # prevention
    "prevent: drink water, especially when exercising": ["drink-water"],
    "prevent: electrolyte/mineral drinks": ["electrolyte-drinks"],
    "prevent: mineral-rich foods": ["mineral-foods"],
    "prevent: varied healthy diet": ["varied-diet"],
    "prevent: exercise regularly; strength, balance, flexibility; walking": ["exercise-regularly"],
    "prevent: ease back into exercise": ["ease-back-in"],
    "prevent: stretch before exercise": ["stretch-before-exercise"],
    "prevent: stretch toes and feet daily, yoga or Pilates": ["stretch-daily"],
    "prevent: pick up objects with toes": ["toe-exercises"],
    "prevent: proper exercise technique": ["good-technique"],
    "prevent: walking breaks at desk jobs, do not cross legs long": ["walking-breaks"],
    "prevent: right-size supportive shoes, toss ones that cut circulation": ["fitting-shoes"],
    "prevent: avoid high heels and pointed shoes": ["avoid-heels"],
    "prevent: orthotics and sport-specific shoes": ["orthotics-sport-shoes"],
    "prevent: check medicines and doses; never adjust alone": ["medicine-review"],
    "prevent: treat underlying conditions, take medication as prescribed": ["treat-conditions"],
    "night cramps in bed: the self-help steps": ["night-cramps"],
    # when to see a doctor
    "doctor: pain makes walking or functioning hard": ["doctor-hard-to-walk"],
    "doctor: fever or visible injury": ["doctor-fever-injury"],
    "doctor: underlying condition such as diabetes or kidney failure": ["doctor-known-condition"],
    "doctor: at risk of kidney or liver failure": ["doctor-known-condition"],
    "doctor: not better within a week, lasting days, getting worse": ["doctor-not-improving"],
    "doctor: swollen or discoloured feet": ["doctor-swelling"],
    "doctor: numb feet": ["doctor-numbness"],
    "doctor: frequent, persistent or intense cramps": ["doctor-frequent"],
    "doctor: walking/running cramps in older people (PAD)": ["doctor-walking-older"],
    "doctor: articles differ on how soon; do not neglect; start with a general doctor": [
        "doctor-how-soon"
    ],
    "doctor: home remedies do not cure an underlying condition": ["home-remedies-limits"],
    # what the doctor may do
    "doctor may: ask about symptoms and chronic illness, examine": ["doctor-what-happens"],
    "doctor may: X-rays, imaging, blood and urine tests, ultrasound, specialist": [
        "doctor-what-happens"
    ],
    "doctor may: medication, low-GI diet, orthotics, surgery": ["doctor-treatments"],
    "doctor may: physical therapy, plantar fascia/calf/toe stretches, ankle balance": [
        "physical-therapy"
    ],
}


def test_every_piece_of_advice_in_the_articles_has_a_tip():
    ids = {t.id for t in knowledge.default().tips}
    missing = {advice: tip_ids for advice, tip_ids in ADVICE.items() if not set(tip_ids) <= ids}
    assert missing == {}


def test_every_tip_carries_some_advice_from_the_list():
    listed = {tip_id for tip_ids in ADVICE.values() for tip_id in tip_ids}
    extra = {t.id for t in knowledge.default().tips} - listed
    assert extra == set()
