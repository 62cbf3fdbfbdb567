"""The Simplified Chinese wording of every string in the proposal e-mails
(msgid → msgstr), for the .po file. A tuple key is a plural msgid pair.
test_emails checks that it covers every string the e-mails use."""

ZH_HANS = {
    # templates/emails/proposal_base.txt
    "Hello %(recipient_name)s,": "%(recipient_name)s，您好：",
    "Rollout": "上线项目",
    "Plant": "工厂",
    "Go-live date": "上线日期",
    "Status": "状态",
    "Proposed by": "提议人",
    "Offpeak – quiet go-live windows for your plants": (
        "Offpeak——为您的工厂找到生产淡季的上线窗口"
    ),
    # proposal_submitted
    "[Offpeak] Go-live proposal to decide: %(rollout)s at %(plant)s": (
        "[Offpeak] 待审批的上线提案：%(plant)s 的 %(rollout)s"
    ),
    "%(actor_name)s proposes to take %(rollout)s live at %(plant)s on "
    "%(go_live)s. Please approve or reject the proposal.": (
        "%(actor_name)s 提议于 %(go_live)s 在 %(plant)s 上线 %(rollout)s。"
        "请批准或驳回该提案。"
    ),
    "This go-live was paused and rescheduled to a new date: it needs your "
    "approval again.": "此次上线已暂停并改期，需要您重新审批。",
    "Quietness: %(score)s of 100.": "平稳度：%(score)s（满分 100）。",
    "Quieter than %(percentile)s%% of the feasible dates.": (
        "比 %(percentile)s%% 的可行日期更平稳。"
    ),
    (
        "It has %(counter)s conflict with the plant's calendar; approving it "
        "needs an override reason.",
        "It has %(counter)s conflicts with the plant's calendar; approving it "
        "needs an override reason.",
    ): "该提案与工厂生产日历有 %(counter)s 处冲突，批准时须填写例外批准理由。",
    "hard": "硬性约束",
    "period close": "期末结账",
    "It has no conflict with the plant's calendar.": "该提案与工厂生产日历没有冲突。",
    "Comment": "备注",
    # proposal_approved
    "[Offpeak] Go-live approved: %(rollout)s at %(plant)s": (
        "[Offpeak] 上线提案已批准：%(plant)s 的 %(rollout)s"
    ),
    "%(actor_name)s approved your go-live proposal. Complete the readiness "
    "checklist before the go/no-go decision.": (
        "%(actor_name)s 已批准您的上线提案。"
        "请在上线决策（Go/No-Go）前完成就绪检查清单。"
    ),
    "Approved despite conflicts; override reason": "存在冲突但仍予批准，例外批准理由",
    # proposal_rejected
    "[Offpeak] Go-live rejected: %(rollout)s at %(plant)s": (
        "[Offpeak] 上线提案被驳回：%(plant)s 的 %(rollout)s"
    ),
    "%(actor_name)s rejected your go-live proposal.": (
        "%(actor_name)s 驳回了您的上线提案。"
    ),
    # proposal_go
    "[Offpeak] Go: %(rollout)s at %(plant)s": (
        "[Offpeak] 准予上线：%(plant)s 的 %(rollout)s"
    ),
    "%(actor_name)s gave the go for %(rollout)s at %(plant)s: the cutover "
    "starts now.": (
        "%(actor_name)s 已准予 %(plant)s 的 %(rollout)s 上线：系统切换现在开始。"
    ),
    "Rollback trigger criteria": "回退触发条件",
    "Who decides a rollback": "回退决策人",
    # proposal_paused
    "[Offpeak] Go-live paused: %(rollout)s at %(plant)s": (
        "[Offpeak] 上线已暂停：%(plant)s 的 %(rollout)s"
    ),
    "%(actor_name)s paused the go-live of %(rollout)s at %(plant)s because "
    "production suffers.": (
        "由于生产受到影响，%(actor_name)s 暂停了 %(plant)s 的 %(rollout)s 上线。"
    ),
    "Reason": "原因",
    "Impact observed on production": "观察到的生产影响",
    "It can now be resumed, rescheduled to a new date or rolled back.": (
        "现在可以恢复上线、改期或回退。"
    ),
    # proposal_rolled_back
    "[Offpeak] Go-live rolled back: %(rollout)s at %(plant)s": (
        "[Offpeak] 上线已回退：%(plant)s 的 %(rollout)s"
    ),
    "%(actor_name)s rolled back the go-live of %(rollout)s at %(plant)s: the "
    "plant returns to the old system.": (
        "%(actor_name)s 回退了 %(plant)s 的 %(rollout)s 上线：工厂恢复使用旧系统。"
    ),
    "Fallback system or procedure": "应急替代系统或流程",
    # proposal_conflict
    "[Offpeak] New calendar conflict: %(rollout)s at %(plant)s": (
        "[Offpeak] 新的生产日历冲突：%(plant)s 的 %(rollout)s"
    ),
    "The production calendar of %(plant)s changed, and the go-live of "
    "%(rollout)s on %(go_live)s now conflicts with:": (
        "%(plant)s 的生产日历已变更，%(go_live)s 的 %(rollout)s 上线现与以下事项冲突："
    ),
    "The proposal keeps its status. Check it, and consider moving it to one of "
    "the alternatives Offpeak recommends.": (
        "提案状态保持不变。请核查，并考虑改到 Offpeak 推荐的备选日期之一。"
    ),
    # rollout/proposals/notifications.py CONFLICT_KINDS
    "peak season": "旺季",
    "milestone": "关键生产节点",
    "blackout": "禁止变更期",
    "plant closure": "工厂停工",
    "holiday": "节假日",
    # rollout/models.py PHASE_LABELS (shared msgids)
    "training": "培训",
    "cutover": "切换",
    "hypercare": "上线后支持期",
    # GoLiveProposal.Status labels
    "draft": "草稿",
    "submitted": "已提交",
    "approved": "已批准",
    "rejected": "已驳回",
    "withdrawn": "已撤回",
    "go": "准予上线",
    "live": "已上线",
    "in hypercare": "上线后支持中",
    "paused": "已暂停",
    "rolled back": "已回退",
    "closed": "已关闭",
    # proposal_revised
    "[Offpeak] Go-live proposal revised, to decide again: %(rollout)s at "
    "%(plant)s": "[Offpeak] 上线提案已修订，待重新审批：%(plant)s 的 %(rollout)s",
    "%(actor_name)s revised the go-live proposal of %(rollout)s at %(plant)s. "
    "It was evaluated again against the plant's calendar; please approve or "
    "reject it.": (
        "%(actor_name)s 修订了 %(plant)s 的 %(rollout)s 上线提案，并已按工厂日历"
        "重新评估；请批准或驳回。"
    ),
    "What changed": "修改内容",
    "nothing": "无",
    "Before the revision: %(before)s.": "修订前：%(before)s。",
}
