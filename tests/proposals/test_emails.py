"""E-mails go to the right people after commit, rendered in each recipient's
language: English, or Simplified Chinese for a user who chose it."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

from accounts.models import UserPreference
from calendars.kinds import kind_labels
from proposals import notifications, services
from proposals.models import GoLiveProposal
from rollout.models import PHASE_LABELS
from tests.proposals.zh_hans import ZH_HANS

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status
TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates" / "emails").glob("*.txt"))


@pytest.fixture
def zh_catalog(monkeypatch):
    """The zh-hans catalog with the proposal e-mails' wording on top, as the
    translator's .po will provide it."""
    translation = trans_real.translation("zh-hans")
    original = translation._catalog
    patched = trans_real.TranslationCatalog()
    ours = {}
    for msgid, msgstr in ZH_HANS.items():
        if isinstance(msgid, tuple):
            ours[(msgid[0], 0)] = msgstr  # Chinese has a single plural form
        else:
            ours[msgid] = msgstr
    patched._catalogs = [ours, *original._catalogs]
    patched._plurals = [original._plurals[0], *original._plurals]
    monkeypatch.setattr(translation, "_catalog", patched)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _email_to(user):
    return next(m for m in mail.outbox if m.to == [user.email])


def test_the_manager_reads_the_submission_in_chinese(
    make_proposal, it_lead, manager, go_live, zh_catalog, commit
):
    proposal = make_proposal(Status.DRAFT)
    with commit():
        services.proposal_submit(proposal=proposal, user=it_lead)

    [email] = mail.outbox
    assert email.to == [manager.email]
    assert email.subject == "[Offpeak] 待审批的上线提案：north 的 MES 2.0"
    date = go_live.isoformat()  # one date convention: YYYY-MM-DD in both languages
    assert f"Ivy 提议于 {date} 在 North Assembly 上线 MES 2.0。" in email.body
    assert "请批准或驳回该提案" in email.body
    assert "状态: 已提交" in email.body
    assert "没有冲突" in email.body


def test_dates_read_the_same_in_both_languages(
    make_proposal, it_lead, manager, go_live, commit
):
    proposal = make_proposal(Status.DRAFT)
    with commit():
        services.proposal_submit(proposal=proposal, user=it_lead)
    [email] = mail.outbox
    # The e-mail is rendered in Chinese, with the dates as the pages write them
    # (not Django's zh_Hans "2027年2月3日" nor its English "Feb. 3, 2027").
    assert "上线日期" in email.body
    assert f"上线日期: {go_live.isoformat()}" in email.body
    assert "年" not in email.body.split("上线日期")[1].splitlines()[0]


def test_the_proposer_reads_the_decision_in_english(
    make_proposal, it_lead, manager, go_live, zh_catalog, commit
):
    proposal = make_proposal(Status.SUBMITTED)
    with commit():
        services.proposal_reject(
            proposal=proposal, user=manager, comment="Stock count that week"
        )
    [email] = mail.outbox
    assert email.to == [it_lead.email]
    assert email.subject == "[Offpeak] Go-live rejected: MES 2.0 at north"
    assert "Hello Ivy," in email.body
    assert "Mei rejected your go-live proposal." in email.body
    assert "Comment: Stock count that week" in email.body
    assert not re.search(r"[\u4e00-\u9fff]", email.body)


@pytest.mark.parametrize(
    ("status", "move", "kwargs", "subject_en", "subject_zh"),
    [
        (
            Status.APPROVED,
            "go",
            {"override_reason": "Slot fixed"},
            "Go: MES 2.0",
            "准予上线",
        ),
        (
            Status.GO,
            "pause",
            {"reason": "Line 3 stopped", "impact": "400 units"},
            "Go-live paused",
            "上线已暂停",
        ),
        (Status.GO, "rollback", {"reason": "Orders lost"}, "rolled back", "上线已回退"),
    ],
)
def test_go_pause_and_rollback_reach_both_in_their_languages(
    make_proposal, it_lead, manager, zh_catalog, commit, status, move, kwargs,
    subject_en, subject_zh,
):  # fmt: skip
    proposal = make_proposal(status)
    if move == "go":
        from tests.proposals.conftest import complete_checklist

        complete_checklist(proposal, it_lead)
    with commit():
        getattr(services, f"proposal_{move}")(proposal=proposal, user=manager, **kwargs)

    assert subject_en in _email_to(it_lead).subject
    assert subject_zh in _email_to(manager).subject
    if move == "pause":
        assert "Impact observed on production: 400 units" in _email_to(it_lead).body
        assert "观察到的生产影响: 400 units" in _email_to(manager).body


def test_nothing_is_sent_for_a_move_that_failed(make_proposal, manager, commit):
    proposal = make_proposal(Status.SUBMITTED)
    with commit(), pytest.raises(services.NotAllowed):
        services.proposal_submit(proposal=proposal, user=manager)
    assert mail.outbox == []


def test_inactive_users_and_users_without_an_address_get_nothing(
    make_proposal, it_lead, manager, commit
):
    manager.email = ""
    manager.save()
    proposal = make_proposal(Status.DRAFT)
    with commit():
        services.proposal_submit(proposal=proposal, user=it_lead)
    assert mail.outbox == []


def test_every_event_renders_in_both_languages(make_proposal, it_lead, zh_catalog):
    proposal = make_proposal(Status.SUBMITTED)
    conflict = {
        "kind": "milestone",
        "name": "SOP",
        "phase": "hypercare",
        "start": "2030-01-02",
        "end": "2030-01-03",
        "hard": True,
    }
    for event in notifications.RECIPIENTS:
        for language, marker in (("en", "Hello"), ("zh-hans", "您好")):
            it_lead.preference = UserPreference(user=it_lead, language=language)
            email = notifications.email_render(
                event=event, proposal=proposal, recipient=it_lead, conflicts=[conflict]
            )
            assert email.subject.startswith("[Offpeak]")
            assert marker in email.body, (event, language)
            assert "&amp;" not in email.body and "&#x27;" not in email.body


def _template_msgids() -> set:
    found = set()
    for path in TEMPLATES:
        code = templatize(path.read_text())
        for match in re.finditer(r"\bgettext\((u?(['\"]).*?(?<!\\)\2)\)", code):
            found.add(ast.literal_eval(match.group(1)))
        for match in re.finditer(
            r"\bngettext\((u?(['\"]).*?(?<!\\)\2), (u?(['\"]).*?(?<!\\)\4), ", code
        ):
            found.add(
                (ast.literal_eval(match.group(1)), ast.literal_eval(match.group(3)))
            )
    return found


def test_every_email_string_has_its_simplified_chinese_wording():
    msgids = _template_msgids()
    assert len(msgids) > 30
    msgids |= {str(label) for label in kind_labels().values()}
    msgids |= {str(label) for label in PHASE_LABELS.values()}
    msgids |= {str(label) for label in Status.labels}
    missing = msgids - set(ZH_HANS)
    assert not missing
    placeholders = re.compile(r"%\(\w+\)s|%%")
    for msgid, msgstr in ZH_HANS.items():
        source = msgid[0] if isinstance(msgid, tuple) else msgid
        assert sorted(placeholders.findall(source)) == sorted(
            placeholders.findall(msgstr)
        ), msgid
