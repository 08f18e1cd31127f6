"""Every page's look and title line: the layout at every width, Indonesian in place of
Streamlit's own English words, and the header (unit, as-of date, data source, component)."""

from __future__ import annotations

import json

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.app.service import Context
from zi_dashboard.app.ui.common import esc

# Layout for every page at every width: 1920 and 1366 wide screens, and a phone (390).
PAGE_CSS = """
<style>
/* the blocks that only carry a style or a script take no room */
[data-testid="stElementContainer"]:has(> [data-testid="stMarkdown"] style) { display: none; }
.zi-kpis { display: grid; grid-template-columns: 1.6fr repeat(5, minmax(0, 1fr)); gap: 12px; margin-bottom: 8px; }
.zi-kpi { border-left: 8px solid; padding: 6px 14px; background: #f9fafb; border-radius: 6px; min-width: 0; }
.zi-kpi-label { font-size: 1.15rem; font-weight: 600; color: #374151; white-space: nowrap; overflow: hidden;
                text-overflow: ellipsis; }
.zi-kpi-value { font-size: clamp(1.9rem, 2.6vw, 2.9rem); font-weight: 700; line-height: 1.1; white-space: nowrap; }
.zi-kpi-note { font-size: 1rem; color: #4b5563; }
.zi-chart-title { font-size: 1.35rem; font-weight: 700; color: #111827; margin: 0.4rem 0 0 0;
                  overflow-wrap: anywhere; }
.zi-tl-list, .zi-cards { display: none; }
.zi-tl-comp { font-weight: 700; margin: 14px 0 2px 0; }
.zi-tl-row { display: grid; grid-template-columns: 1fr auto; grid-template-areas: "name name" "bar pct" "meta late";
             column-gap: 10px; padding: 6px 0; border-bottom: 1px solid #e5e7eb; }
.zi-tl-name { grid-area: name; font-weight: 600; overflow-wrap: anywhere; }
.zi-tl-bar { grid-area: bar; position: relative; height: 14px; border-radius: 7px; align-self: center; }
.zi-tl-bar > span { display: block; height: 100%; border-radius: 7px; }
.zi-tl-bar > i { position: absolute; top: -4px; bottom: -4px; width: 3px; margin-left: -1px; background: #111827; }
.zi-tl-pct { grid-area: pct; font-weight: 700; text-align: right; }
.zi-tl-meta { grid-area: meta; font-size: 0.9rem; color: #374151; }
.zi-tl-late { grid-area: late; font-size: 0.9rem; font-weight: 700; color: #B34700; text-align: right; }
@media (max-width: 1599px) {
  .zi-kpis { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .zi-kpi-value { font-size: 2.5rem; }
}
@media (max-width: 700px) {
  .zi-kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
  .zi-kpis > .zi-kpi:first-child { grid-column: span 2; }
  .zi-kpi { padding: 4px 10px; border-left-width: 6px; }
  .zi-kpi-label { font-size: 1rem; }
  .zi-kpi-value { font-size: 2rem; }
  .zi-kpi-note { font-size: 0.85rem; }
  h1 { font-size: 2rem !important; }
  .st-key-zi-gantt { display: none !important; }
  .zi-tl-list { display: block; }
  [class*="st-key-zi-wide-"] { display: none !important; }
  .zi-cards { display: block; }
}
/* a wide table on a phone: one card per row, every column a line "Column: value" */
.zi-cards { margin: 0 0 12px 0; }
.zi-card { border: 1px solid #e5e7eb; border-left: 6px solid #6b7280; border-radius: 6px; padding: 8px 10px;
           margin: 0 0 8px 0; background: #fff; }
.zi-card-title { font-weight: 700; overflow-wrap: anywhere; margin-bottom: 2px; }
.zi-card-line { font-size: 0.95rem; color: #1f2937; overflow-wrap: anywhere; }
.zi-card-line b { font-weight: 600; color: #4b5563; }
</style>
"""

# Streamlit draws a few words of its own in English (date picker and its dd/mm/yyyy, file
# uploader, list boxes, the table toolbar and its tips, screen-reader labels such as "Help for …"):
# swap them for Indonesian as they appear.  Texts only where Streamlit draws its own words;
# attributes (aria-label, placeholder, title) anywhere, whole or by their English start only.
_TRANSLATE_JS = """
<script>
(() => {  // its own scope: other scripts of the page declare their own names
const doc = window.parent.document;
if (!doc.ziTranslate) {
  doc.ziTranslate = true;
  const pairs = %(pairs)s, prefixes = %(prefixes)s, monthsEn = %(months_en)s, months = %(months)s,
        days = %(days)s;
  const where = '[data-testid="stDateInputCalendar"], #stFloatingOverlayPortal, [data-baseweb="popover"], '
              + '[data-testid="stFileUploaderDropzone"], [data-testid="stDateInput"], [role="listbox"], .modebar, '
              + '.notifier-container, [data-testid="stElementToolbar"], [data-baseweb="tooltip"], '
              + '[data-testid="stTooltipContent"], [data-testid="InputInstructions"]';
  const monthOnly = new RegExp("^(" + monthsEn.join("|") + ")( [0-9]{4})?$");
  const swap = (text) => {
    let out = text;
    for (const [en, id] of pairs) {  // a phrase anywhere; a short word only as the whole text
      if (out.trim() === en) out = out.replace(en, id);
      else if (en.length > 7 && out.includes(en)) out = out.split(en).join(id);
    }
    if (monthOnly.test(out.trim()) || out.startsWith("Pilih tanggal")) {
      monthsEn.forEach((en, i) => { out = out.split(en).join(months[i]); });
    }
    return out;
  };
  const swapWhole = (text) => {  // an attribute: the whole text, or its English start
    const whole = pairs.find(([en]) => text.trim() === en);
    if (whole) return text.replace(whole[0], whole[1]);
    const start = prefixes.find(([en]) => text.startsWith(en));
    return start ? start[1] + text.slice(start[0].length) : text;
  };
  const fixNode = (node) => {
    const el = node.parentElement;
    if (!el || !el.closest(where)) return;
    const v = node.nodeValue, w = swap(v);
    if (w !== v) node.nodeValue = w;
  };
  const fixWeek = (root) => {
    for (const cal of root.querySelectorAll('[data-testid="stDateInputCalendar"]')) {
      for (const row of cal.querySelectorAll('thead tr')) {
        const cells = [...row.children];
        if (cells.length === 7 && cells.every((c) => /^[SMTWF]$/.test(c.textContent.trim()))) {
          cells.forEach((c, i) => { if (c.textContent.trim() !== days[i]) c.textContent = days[i]; });
        }
      }
    }
  };
  const withWords = '[aria-label], [placeholder], [title], .modebar [data-title]';
  const fixElementAttrs = (el) => {
    const inside = el.closest(where);
    for (const name of ["aria-label", "data-title", "placeholder", "title"]) {
      const v = el.getAttribute(name), w = v && (inside ? swapWhole(swap(v)) : swapWhole(v));
      if (w !== v) el.setAttribute(name, w);
    }
  };
  const fixAttrs = (root) => {
    if (root.matches(withWords)) fixElementAttrs(root);
    for (const el of root.querySelectorAll(withWords)) fixElementAttrs(el);
  };
  const fixAll = (root) => {
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) fixNode(walker.currentNode);
    fixWeek(root);
    fixAttrs(root);
  };
  // only what changed since the last frame: added subtrees, changed texts, changed attributes
  const added = new Set(), texts = new Set(), attributed = new Set();
  let pending = false;
  const fixChanged = () => {
    pending = false;
    for (const node of added) if (node.isConnected && node.nodeType === 1) fixAll(node);
    for (const node of texts) if (node.isConnected && node.nodeType === 3) fixNode(node);
    for (const el of attributed) if (el.isConnected && el.matches(withWords)) fixElementAttrs(el);
    for (const node of added) if (node.isConnected && node.nodeType === 3) fixNode(node);
    added.clear(); texts.clear(); attributed.clear();
    fixWeek(doc.body);  // the calendar's weekday row, wherever in the calendar the change was
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "childList") r.addedNodes.forEach((n) => added.add(n));
      else if (r.type === "characterData") texts.add(r.target);
      else attributed.add(r.target);
    }
    if (!pending) {
      pending = true;
      requestAnimationFrame(fixChanged);
    }
  }).observe(doc.body, {childList: true, subtree: true, characterData: true, attributes: true,
                        attributeFilter: ["data-title", "aria-label", "placeholder", "title"]});
  fixAll(doc.body);
}
})();
</script>
"""


# the translating script with its tables filled in: the same for every run, so made once here
_TRANSLATE = _TRANSLATE_JS % {
    "pairs": json.dumps(L.BROWSER_TEXT),
    "prefixes": json.dumps(L.BROWSER_PREFIXES),
    "months_en": json.dumps(L.MONTHS_EN),
    "months": json.dumps(L.MONTHS),
    "days": json.dumps(L.WEEKDAYS_SHORT),
}


def page_style() -> None:
    """The pages' layout at every width, and Indonesian in place of Streamlit's own English."""
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    st.html(_TRANSLATE, unsafe_allow_javascript=True)


def page_header(title: str, ctx: Context) -> None:
    """The page title, and on one line: the as-of date, the data source, the component."""
    st.title(title)
    if ctx.data.is_example:
        badge = (
            f"<span style='background:#FFF4D6;color:#8a5a00;padding:1px 8px;border-radius:6px'>"
            f"{esc(L.UI['example_badge'])}</span>"
        )
    elif ctx.data.empty:
        badge = (
            f"<span style='background:#EEF2F7;color:#374151;padding:1px 8px;border-radius:6px'>"
            f"{esc(L.UNITS['empty_badge'])}</span>"
        )
    else:
        badge = (
            f"<span style='background:#E6F0FA;color:#0b4f8a;padding:1px 8px;border-radius:6px'>"
            f"{esc(ctx.data.filename)}</span>"
        )
    comp = ""
    if ctx.component:
        comp = " · " + esc(ctx.indicators()["component"].iloc[0])
    st.markdown(
        f"<div class='zi-source'><b>{esc(service.unit_line(ctx.workplan))}</b> · "
        f"<b>{esc(L.UI['as_of'])} {esc(L.fmt_date(ctx.as_of))}</b> · "
        f"{badge}{comp}</div>",
        unsafe_allow_html=True,
    )
