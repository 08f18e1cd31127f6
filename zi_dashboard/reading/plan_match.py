"""A progress row's code or indicator name -> the plan's code, or a message saying what is wrong
(an unknown code, a code and a name that disagree, an unknown name), with a "maybe ...?" for a
name close to one of the plan's."""

from __future__ import annotations

import difflib

from zi_dashboard import labels as L
from zi_dashboard.reading.header import normalise_name
from zi_dashboard.reading.plan import Plan

SUGGEST_CUTOFF = 0.8  # difflib ratio a name must reach to be offered as "maybe ...?"


class PlanMatcher:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.codes = set(plan.codes)
        self.by_name = plan.by_name
        self.names = list(plan.by_name)
        self.component_names = {normalise_name(c) for c in plan.rows["component"]}

    def suggestion(self, name: str) -> str:
        if not name:
            return ""
        # only a close match: a loose one ("7.1 Inovasi" -> "3.3 Pengembangan Pegawai") misleads
        close = difflib.get_close_matches(normalise_name(name), self.names, n=1, cutoff=SUGGEST_CUTOFF)
        if not close:
            return ""
        code = self.by_name[close[0]]
        return L.msg("did_you_mean", code=code, name=self.plan.indicator_name(code))

    def resolve(self, code: str | None, name: str) -> tuple[str | None, str | None]:
        """-> (plan code, None) or (None, error message)."""
        key = normalise_name(name) if name else ""
        if code is not None:
            if code not in self.codes:
                return None, L.msg("unknown_code", code=code, hint=self.suggestion(name))
            other = self.by_name.get(key)
            if other is not None and other != code:
                return None, L.msg(
                    "code_name_conflict",
                    code=code,
                    plan_name=self.plan.indicator_name(code),
                    name=name,
                    other_code=other,
                )
            return code, None
        if key in self.by_name:
            return self.by_name[key], None
        return None, L.msg("unknown_indicator", name=name[:120], hint=self.suggestion(name))
