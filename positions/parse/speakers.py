"""Who said it: attribute each statement to a delegation, group, officer or quantified set.

UN reports rarely name speakers.  They write 许多发言者 / "many speakers"
(``quantified``, weighted by CODEBOOK.md), 会上普遍认为 / "it was generally
agreed" (``meeting``, quantifier ``general``), name officers (主席, 报告员
Christopher Ram（加拿大）), and name delegations mostly in the organisational
chapter (马耳他代表以…欧洲联盟成员国的名义作了发言).  A statement without a
subject of its own continues the previous statement's speaker inside its
paragraph, as do 这些发言者 / 他们 / "these speakers" / "they".

The cues are data (:data:`ZH_CUES`, :data:`EN_CUES`), and every attribution
keeps the cue that decided it (:func:`explain`).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, replace

from ..base.config import DEFAULT_CONFIG, Config
from .gazetteer import Entity, gazetteer

__all__ = [
    "EN_CUES",
    "ZH_CUES",
    "Attribution",
    "SpeakerContext",
    "attribute",
    "explain",
    "find_attendance",
]

# (pattern at the start of a statement's subject, speaker_kind, quantifier)
ZH_CUES: tuple[tuple[str, str, str | None], ...] = (
    (r"会上普遍(?:一致)?认为|会上普遍|普遍(?:一致)?认为|会上广泛|人们广泛|广泛赞成|会上一致|一致认为|与会者一致|普遍同意",
     "meeting", "general"),
    (r"绝大多数发言者|大多数发言者|多数发言者|大部分发言者|大多数代表团|多数代表团", "quantified", "most"),
    (r"许多发言者|许多代表团|许多代表|很多发言者|众多发言者|不少发言者|大量发言者|许多与会者", "quantified", "many"),
    (r"有几名发言者|有几位发言者|几名发言者|几位发言者|若干发言者|若干代表团|几个代表团|少数发言者", "quantified", "several"),
    (r"其他一些发言者|另一些发言者|另有些代表团|另有些发言者|另有一些发言者|另有发言者|其他发言者|其他代表团"
     r"|另一些代表团|另有一些代表团|有一些发言者|有一些代表团"
     r"|一些发言者|一些代表团|一些代表|一些与会者|一些国家|有些发言者|有些代表团|有些国家|有些人|部分发言者",
     "quantified", "some"),
    (r"有一个代表团|一个代表团|一名发言者|一位发言者|一名代表|一位代表|一名与会者|另一名发言者|另一发言者|代表一\S{1,12}?的发言者",
     "quantified", "one"),
    (r"代表[^，。；]{1,40}?的许多发言者", "quantified", "many"),
    (r"代表[^，。；]{1,40}?的(?:一些|有些)发言者", "quantified", "some"),
    (r"代表[^，。；]{1,40}?的发言者们?|发言者们|各发言者|但也有发言者|也有发言者|还有发言者|有发言者|有与会者|有代表团"
     r"|有代表|与会者|发言者|会上还提到|会上提到|会上还|另据称|据称|有人",
     "quantified", "unspecified"),
)
EN_CUES: tuple[tuple[str, str, str | None], ...] = (
    (r"it was (?:generally|widely|broadly|unanimously) (?:agreed|recogni[sz]ed|acknowledged|felt|held|accepted|considered|noted)"
     r"|there was (?:general|broad|wide|wide-ranging) (?:agreement|support|consensus|recognition)|general agreement was"
     r"|all speakers|it was agreed", "meeting", "general"),
    (r"(?:the |a )?(?:vast )?majority of (?:the )?(?:speakers|delegations|participants|experts)|most (?:speakers|delegations|participants|experts)",
     "quantified", "most"),
    (r"(?:many|numerous|a (?:large |great )?number of|a large number of|various) (?:other )?(?:speakers|delegations|participants|representatives|experts)",
     "quantified", "many"),
    (r"(?:several|a few) (?:other )?(?:speakers|delegations|participants|representatives|experts)|a few of (?:the|them|those)",
     "quantified", "several"),
    (r"(?:some|other|certain) (?:other )?(?:speakers|delegations|participants|representatives|experts)|others\b|some of (?:the|them|those)",
     "quantified", "some"),
    (r"(?:one|another|a|a single) (?:speaker|delegation|representative|participant|expert)\b", "quantified", "one"),
    (r"speakers|delegations|participants|experts|it was (?:also )?(?:noted|stated|said|observed|mentioned|suggested|pointed out|emphasi[sz]ed|stressed|proposed|argued)"
     r"|the view was expressed|views were expressed|concern was expressed|concerns were expressed|reference was made",
     "quantified", "unspecified"),
)
_ZH_ANAPHORA = re.compile(r"^(?:这些发言者|这些代表团|这些代表|上述发言者|该发言者|该代表团|他们|她们|他|她)")
_EN_ANAPHORA = re.compile(
    r"^(?:these speakers|those speakers|these delegations|those delegations|the same speakers|they|he|she"
    r"|that speaker|the speaker)", re.IGNORECASE)
_ZH_ROLES = {"主席": "Chair", "副主席": "Vice-Chair", "报告员": "Rapporteur", "秘书处": "Secretariat",
             "秘书长": "Secretary-General", "执行主任": "Executive Director"}
_ZH_OFFICER = re.compile(r"^(?:专家组|特设委员会|委员会|会议)?(副主席|主席|报告员|秘书处|秘书长|执行主任)(?!的(?!代表))")
_EN_ROLES = ("Vice-Chair", "Chair", "Rapporteur", "Secretariat", "Secretary-General", "Executive Director")
_EN_OFFICER = re.compile(
    r"^(?:the )?(?:(vice-chair(?:person|man)?)|(chair(?:person|man)?|president)|(rapporteur)"
    r"|((?:a )?representative of the secretariat|secretariat)|(secretary-general)|(executive director))\b",
    re.IGNORECASE,
)
_ZH_OFFICER_NAMED = re.compile(
    r"(主席|副主席|报告员)\s*[^，。；（]{0,40}?（([^）]{2,30})）|（([^）]{2,30})）担任[^，。；]{0,10}?(主席|副主席|报告员)")
_EN_OFFICER_NAMED = re.compile(r"\b(Chair(?:person|man)?|Vice-Chair|Rapporteur),?\s+[^,()]{0,60}?\(([^)]{2,60})\)")
_ZH_MEETING = re.compile(r"^(?:专家组|特设委员会|委员会|会议|大会|缔约方会议)")
_EN_MEETING = re.compile(r"^(?:the )?(?:expert group|ad hoc committee|committee|meeting|commission|general assembly|conference|session)\b",
                         re.IGNORECASE)
_ZH_INTRO = re.compile(
    r"^(?:关于|在|就|对于|鉴于|根据|至于|例如|此外|另外|不过|但是|然而|因此|同时|为此|对此|与此同时|首先|其次|最后|另一方面)[^，。；]{0,45}，"
)
_ZH_ADVERBS = re.compile(r"^(?:而|但|不过|然而|此外|另外|同时|则|也|还|并|因此|所以|可是|但也)+")
_EN_INTRO = re.compile(
    r"^(?:in (?:that|this) (?:regard|context|connection|respect)|however|moreover|furthermore|in addition|nevertheless"
    r"|at the same time|similarly|likewise|conversely|meanwhile|also|further|finally|in particular|for example"
    r"|by contrast|in contrast|on the other hand|(?:with (?:regard|respect) to|regarding|concerning|as (?:for|regards)|in relation to"
    r"|on the (?:issue|question|matter) of|turning to|while|although) [^,]{1,80}),\s*",
    re.IGNORECASE,
)
_EN_ADVERBS = re.compile(r"^(?:while|whereas|but|and|yet|however|also|moreover|further)\s+", re.IGNORECASE)
_ZH_LIST = re.compile(
    r"(?:下列|以下)(?:国家|会员国|观察员国|国家和组织)?的?(?:专家|代表团?|观察员)(?:也|还)?作了发言[：:](?P<names>.+)")
_EN_LIST = re.compile(
    r"statements were (?:also )?made by (?:the )?(?:representatives?|experts?|observers?|delegations?)"
    r"(?: (?:of|from|for))?(?: the following(?: member)?(?: states)?(?: and organizations)?)?\s*[:：]?\s*(?P<names>.+)",
    re.IGNORECASE,
)
_ZH_NAMED = re.compile(
    r"^(?P<names>[^，。；：]{2,80}?)(?:的)?(?:常驻联合国)?(?:代表团?|专家|观察员)(?:也|还)?"
    r"(?:以(?P<group>[^，。；]{2,60}?)的名义)?(?=作了发言|作了|发言|指出|表示|认为|说|强调|介绍|提议|建议|提出|欢迎|呼吁|回顾|重申|报告)"
)
_EN_NAMED = re.compile(
    r"^(?:the )?(?:representatives?|observers?|delegations?|experts?) (?:of|for) (?P<names>.{2,120}?)"
    r"(?:,? (?:speaking )?on behalf of (?P<group>.{2,120}?))?"
    r"(?:,|\s+(?:made|said|stated|noted|stressed|emphasized|emphasised|expressed|recalled|proposed|suggested|welcomed"
    r"|highlighted|indicated|also|informed|presented|reiterated|underlined|called|asked|requested|delivered|introduced"
    r"|observed|pointed|supported|opposed|urged|considered|argued|were|was)\b)",
    re.IGNORECASE,
)
_EN_ON_BEHALF = re.compile(r"^(?P<names>[A-Z][^,]{1,80}?), (?:speaking )?on behalf of (?P<group>[^,]{2,120}?),")
_ZH_PERSON_COUNTRY = re.compile(r"^[^，。；（]{0,40}?（(?P<country>[^）]{2,30})）")
_EN_PERSON_COUNTRY = re.compile(r"^,?\s*[^,()]{0,60}?\((?P<country>[^)]{2,60})\)")
# A count is a number of participants, of at most four digits (not the tail of a longer one).
_ZH_ATTENDANCE = re.compile(r"(?<!\d)(\d{1,4})\s*个和?\s*([\u4e00-\u9fff]+?)(?=、|，|和\s*\d|的代表|。|$)")
_EN_ATTENDANCE = re.compile(
    r"(?<!\d)(\d{1,4})\s+(member states|non-member states|observer states|states|intergovernmental organi[sz]ations"
    r"|non-governmental organi[sz]ations|academic institutions?|private[- ]sector (?:entit(?:y|ies)|bod(?:y|ies)|organi[sz]ations?)"
    r"|united nations entities|specialized agencies)",
    re.IGNORECASE,
)
_ATTENDANCE_KEYS = (
    ("非会员国", "observer_states"), ("观察员国", "observer_states"), ("会员国", "member_states"),
    ("非政府组织", "non_governmental_organizations"), ("政府间组织", "intergovernmental_organizations"),
    ("学术", "academic_institutions"), ("私营部门", "private_sector"), ("专门机构", "specialized_agencies"),
    ("联合国实体", "united_nations_entities"),
    ("non-member", "observer_states"), ("observer", "observer_states"), ("member states", "member_states"),
    ("states", "member_states"), ("non-governmental", "non_governmental_organizations"),
    ("intergovernmental", "intergovernmental_organizations"), ("academic", "academic_institutions"),
    ("private", "private_sector"), ("specialized", "specialized_agencies"), ("united nations", "united_nations_entities"),
)


def _compile(cues: tuple[tuple[str, str, str | None], ...], word_end: str) -> re.Pattern:
    """One pattern for all cues, tried in order; group ``c<i>`` is the i-th cue."""
    alternatives = "|".join(f"(?P<c{i}>(?:{pattern}){word_end})" for i, (pattern, _, _) in enumerate(cues))
    return re.compile(f"^(?:{alternatives})", re.IGNORECASE)


_ZH_COMPILED = _compile(ZH_CUES, "")
_EN_COMPILED = _compile(EN_CUES, r"(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Attribution:
    """Who a statement is attributed to, and the words that said so.

    Examples
    --------
    >>> found = attribute("许多发言者认为不需要。", None, SpeakerContext("zh"))[0]
    >>> found.speaker_kind, found.quantifier, found.weight, found.cue
    ('quantified', 'many', 10.0, '许多发言者')
    """

    speaker_kind: str
    speaker: str | None = None
    on_behalf_of: str | None = None
    quantifier: str | None = None
    weight: float = 0.0
    cue: str = ""
    role: str | None = None  # "speaker" or "officer" when the statement names who took the floor
    carried: bool = False  # the speaker of the statement before ("these speakers", or no subject of its own)


@dataclass
class SpeakerContext:
    """What attribution of one document needs to know beyond the sentence.

    Examples
    --------
    >>> context = SpeakerContext("en", participants=59)
    >>> attribute("Most speakers agreed.", None, context)[0].weight
    35.4
    """

    lang: str
    participants: int | None = None
    config: Config = DEFAULT_CONFIG
    officers: dict | None = None
    doc_id: str = ""
    para: int | None = None  # the paragraph being attributed, for warnings that cite it

    def __post_init__(self) -> None:
        self.officers = dict(self.officers or {})


def attribute(sentence: str, previous: list[Attribution] | None, context: SpeakerContext) -> list[Attribution]:
    """Attribute one statement, given the attribution of the one before it.

    Parameters
    ----------
    sentence : str
        The statement's text.
    previous : list of Attribution or None
        The previous statement's attribution in the same paragraph (None at
        the start of a paragraph).
    context : SpeakerContext
        Language, stated participants (weights of ``most``/``general``),
        configuration, officers seen so far.

    Returns
    -------
    list of Attribution
        One per speaker the statement names (usually one).

    Examples
    --------
    >>> ctx = SpeakerContext("zh", participants=59)
    >>> [(a.speaker_kind, a.quantifier, a.weight) for a in attribute("许多发言者认为不需要。", None, ctx)]
    [('quantified', 'many', 10.0)]
    >>> [(a.speaker, a.on_behalf_of) for a in attribute("马耳他代表以欧洲联盟成员国的名义作了发言。", None, ctx)]
    [('MLT', 'EU')]
    >>> ctx = SpeakerContext("en")
    >>> [(a.speaker_kind, a.speaker) for a in attribute("The Rapporteur, Ana Silva (Brazil), said so.", None, ctx)]
    [('officer', 'BRA')]
    """
    zh = context.lang == "zh"
    listed = (_ZH_LIST if zh else _EN_LIST).search(sentence)
    if listed and (zh or listed.start() < 40):
        speakers = _from_list(listed.group("names"), "speaker", listed.group(0), context)
        # a list that names nobody (下列国家的代表作了发言：和) is the meeting's, as a statement without a speaker
        return speakers or [Attribution("meeting", None, None, None, context.config.meeting_weight, listed.group(0))]
    _remember_officers(sentence, zh, context)
    subject = _subject(sentence, zh)
    named = _named(subject, zh, context)
    if named:
        return named
    officer = _officer(subject, zh, context)
    if officer:
        return [officer]
    anaphora = (_ZH_ANAPHORA if zh else _EN_ANAPHORA).match(subject)
    if anaphora and previous and (zh or _word_ends(subject, anaphora.end())):
        return [replace(a, cue=anaphora.group(0), role=None, carried=True) for a in previous]
    found = (_ZH_COMPILED if zh else _EN_COMPILED).match(subject)
    if found:
        _, kind, quantifier = (ZH_CUES if zh else EN_CUES)[int(found.lastgroup[1:])]
        weight = context.config.weight(quantifier, context.participants)
        return [Attribution(kind, None, None, quantifier, weight, found.group(0))]
    unknown = _named(subject, zh, context, allow_unknown=True)
    if unknown:
        return unknown
    meeting = (_ZH_MEETING if zh else _EN_MEETING).match(subject)
    if meeting:
        agreed = re.search(r"一致|协商一致|by consensus|unanimously", sentence)
        if agreed:
            weight = context.config.weight("general", context.participants)
            return [Attribution("meeting", None, None, "general", weight, agreed.group(0))]
        return [Attribution("meeting", None, None, None, context.config.meeting_weight, meeting.group(0))]
    if previous:
        return [replace(a, cue="", role=None, carried=True) for a in previous]
    return [Attribution("meeting", None, None, None, context.config.meeting_weight, "")]


def _word_ends(text: str, end: int) -> bool:
    return end >= len(text) or not text[end].isalnum()


def _subject(sentence: str, zh: bool) -> str:
    """The sentence from where its subject starts: past an opening adverbial clause."""
    text = sentence.strip()
    intro, adverbs = (_ZH_INTRO, _ZH_ADVERBS) if zh else (_EN_INTRO, _EN_ADVERBS)
    for _ in range(2):
        text = adverbs.sub("", intro.sub("", text, count=1), count=1)
    return text


def _named(subject: str, zh: bool, context: SpeakerContext, allow_unknown: bool = False) -> list[Attribution]:
    for pattern in ((_ZH_NAMED,) if zh else (_EN_NAMED, _EN_ON_BEHALF)):
        found = pattern.match(subject)
        if not found:
            continue
        names = found.group("names")
        parsed = gazetteer().parse_list(names)
        if not any(entity for _, entity in parsed) and not (allow_unknown and _looks_like_a_name(names, zh)):
            continue
        group = found.group("group") or _on_behalf_anywhere(subject, zh)
        behalf = _behalf(group) if group else None
        return _from_list(names, "speaker", found.group(0), context, behalf)
    return []


def _looks_like_a_name(text: str, zh: bool) -> bool:
    """An unknown speaker's name: short, and no word of the cues or a clause in it."""
    if zh:
        return len(text) <= 16 and not re.search(r"发言者|代表|与会者|他们|这些|一些|许多|有些|几|的|[，、]", text)
    return len(text) <= 60 and bool(re.fullmatch(r"[A-Z][\w'’().-]*(?: [\w'’().-]+){0,6}", text))


def _on_behalf_anywhere(sentence: str, zh: bool) -> str | None:
    found = re.search(r"以([^，。；]{2,60}?)的名义" if zh else r"on behalf of ([^,.;]{2,120})", sentence)
    return found.group(1) if found else None


def _behalf(text: str) -> str:
    found = gazetteer().find(text)
    if found:
        return found[0][2].code
    return text.strip()


def _from_list(names: str, role: str, cue: str, context: SpeakerContext,
               on_behalf_of: str | None = None) -> list[Attribution]:
    out = []
    weight = context.config.named_weight
    for written, entity in gazetteer().parse_list(names.rstrip("。. ")):
        if entity is None:
            where = f"{context.doc_id} ¶{context.para}" if context.para is not None else context.doc_id
            warnings.warn(f"{where}: speaker {written!r} is not in the gazetteer; kept as written", stacklevel=2)
            out.append(Attribution("unknown", written, on_behalf_of, None, weight, cue, role))
        else:
            out.append(Attribution(entity.speaker_kind, entity.code, on_behalf_of, None, weight, cue, role))
    return out


def _officer(subject: str, zh: bool, context: SpeakerContext) -> Attribution | None:
    found = (_ZH_OFFICER if zh else _EN_OFFICER).match(subject)
    if not found:
        return None
    role = _ZH_ROLES[found.group(1)] if zh else _EN_ROLES[found.lastindex - 1]
    return _officer_at(subject, found.end(), role, found.group(0), zh, context)


def _remember_officers(sentence: str, zh: bool, context: SpeakerContext) -> None:
    """Note who holds an office when a sentence names the person and country."""
    if "（" not in sentence and "(" not in sentence:
        return
    for found in (_ZH_OFFICER_NAMED if zh else _EN_OFFICER_NAMED).finditer(sentence):
        role, country = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
        entity = gazetteer().lookup(country)
        if entity:
            role = _ZH_ROLES.get(role) or ("Chair" if role.lower().startswith("chair") else role)
            context.officers[role] = entity.code


def _officer_at(text: str, end: int, role: str, cue: str, zh: bool, context: SpeakerContext) -> Attribution:
    country = (_ZH_PERSON_COUNTRY if zh else _EN_PERSON_COUNTRY).match(text[end:])
    entity: Entity | None = gazetteer().lookup(country.group("country")) if country else None
    if entity:
        context.officers[role] = entity.code
    speaker = context.officers.get(role, role)
    return Attribution("officer", speaker, None, None, context.config.named_weight, cue, "officer")


def explain(sentence: str, previous: list[Attribution] | None, context: SpeakerContext) -> tuple[str, str]:
    """The decision and the words that decided it: ``("many", "许多发言者")``.

    The first element is the quantifier when there is one, else the speaker
    (or the speaker kind).  Replaying it through :func:`attribute` gives the
    same attribution.

    Examples
    --------
    >>> explain("许多发言者认为不需要。", None, SpeakerContext("zh"))
    ('many', '许多发言者')
    >>> explain("It was generally agreed that assistance was key.", None, SpeakerContext("en"))
    ('general', 'It was generally agreed')
    """
    first = attribute(sentence, previous, context)[0]
    return (first.quantifier or first.speaker or first.speaker_kind, first.cue)


def find_attendance(text: str, lang: str) -> dict[str, int]:
    """Attendance counts a report states: member States, organisations, ...

    Examples
    --------
    >>> find_attendance("出席会议的有 87 个会员国、4 个政府间组织、2 个学术机构和 1 个和私营部门机构的代表。", "zh")
    {'member_states': 87, 'intergovernmental_organizations': 4, 'academic_institutions': 2, 'private_sector': 1}
    """
    zh = lang == "zh"
    marker = r"出席[^。]*?\d+\s*个[^。]*。" if zh else r"attended by [^.]*?\d+[^.]*\."
    for sentence in re.finditer(marker, text, re.IGNORECASE):
        counts: dict[str, int] = {}
        for number, label in (_ZH_ATTENDANCE if zh else _EN_ATTENDANCE).findall(sentence.group(0)):
            low = label.lower()
            key = next((k for word, k in _ATTENDANCE_KEYS if word in low), low.replace(" ", "_"))
            counts[key] = counts.get(key, 0) + int(number)
        if counts:
            return counts
    return {}
