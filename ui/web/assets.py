"""The page's style and the few lines of script its HTML parts need.

The script only hands a button's data-action to the server (Gradio's `trigger`), scrolls to a
highlighted passage, and switches the interface language; everything shown is rendered and
escaped by the server.
"""

from __future__ import annotations

from assistant.phrases import LANGUAGES

CSS = """
#praxis-ask-row { align-items: flex-end; }
#praxis-ask { max-height: 52px; }
#praxis-download-label, #praxis-download-label * { overflow: visible !important; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
#praxis-chat .turns { max-height: min(62vh, 680px); overflow-y: auto; position: relative;
  padding: 4px 8px 4px 2px; }
#praxis-chat .empty, .placeholder { color: var(--body-text-color-subdued); margin: 8px 0; }
#praxis-chat .turn { margin: 0 0 14px 0; }
#praxis-chat .msg { border-radius: 10px; padding: 8px 12px; margin: 6px 0; line-height: 1.5; }
#praxis-chat .msg.user { background: var(--background-fill-secondary); margin-left: 12%; }
#praxis-chat .msg.bot { border: 1px solid var(--border-color-primary); margin-right: 4%; }
#praxis-chat .msg p { margin: 4px 0; }
#praxis-chat .who { font-size: 0.8em; font-weight: 600; margin: 0 0 2px 0;
  color: var(--body-text-color-subdued); }
#praxis-chat q.quote { font-style: italic; }
#praxis-chat .quoted-note { font-size: 0.85em; color: var(--body-text-color-subdued); }
#praxis-chat .hint { border-left: 3px solid var(--color-accent); padding-left: 8px; }
#praxis-chat .topic-divider { display: flex; align-items: center; gap: 8px; margin: 10px 0;
  color: var(--body-text-color-subdued); font-size: 0.85em; }
#praxis-chat .topic-divider::before, #praxis-chat .topic-divider::after { content: ""; flex: 1;
  border-top: 1px solid var(--border-color-primary); }
button.cite { font: inherit; font-size: 0.85em; line-height: 1.2; padding: 0 4px; margin: 0 1px;
  border: 1px solid var(--border-color-accent, #4338ca); border-radius: 4px; cursor: pointer;
  background: var(--background-fill-primary); color: var(--link-text-color, #1d4ed8);
  vertical-align: baseline; }
button.cite:hover, button.cite:focus-visible, button.source:hover, button.source:focus-visible {
  background: var(--color-accent-soft); }
.sources { margin-top: 8px; }
.sources-title { font-size: 0.85em; font-weight: 600; margin: 4px 0; }
.sources ul, .nearest, .focus-list, .praxis-similar ul { list-style: none; padding: 0; margin: 4px 0;
  display: flex; flex-wrap: wrap; gap: 6px; }
.sources li, .nearest li, .focus-list li, .praxis-similar li { margin: 0; }
button.source, button.practice-link, button.focus-chip, button.new-topic, button.clear-filters,
button.rate, button.back, button.example, button.card-open, button.cite {
  box-shadow: none; }
.card p, .msg li p, .turn p { display: block; }
button.source, button.practice-link, button.focus-chip, button.new-topic, button.clear-filters,
button.rate, button.back, button.example {
  font: inherit; font-size: 0.88em; border: 1px solid var(--border-color-primary); border-radius: 999px;
  padding: 3px 10px; background: var(--background-fill-primary); color: var(--body-text-color);
  cursor: pointer; text-align: left; }
button.practice-link, button.focus-chip { border-color: var(--border-color-accent, #4338ca);
  color: var(--link-text-color, #1d4ed8); }
button.rate { display: inline-flex; align-items: center; gap: 5px; }
button.rate[aria-pressed='true'] { background: var(--color-accent-soft); font-weight: 600; }
.rating { display: flex; gap: 8px; margin-top: 8px; }
.table-wrap { overflow-x: auto; }
.table-wrap table { border-collapse: collapse; margin: 6px 0; font-size: 0.92em; }
.table-wrap th, .table-wrap td { border: 1px solid var(--border-color-primary); padding: 4px 8px;
  vertical-align: top; text-align: left; }
#praxis-focus .focus { display: flex; flex-direction: column; gap: 4px; margin-bottom: 6px; }
#praxis-focus .focus-row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 0; }
#praxis-focus .focus-label { font-weight: 600; }
#praxis-focus .focus-none { color: var(--body-text-color-subdued); }
.examples ul { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-direction: column; gap: 6px; }
.examples-title { font-weight: 600; margin: 6px 0 2px 0; }
button.example { border-radius: 8px; width: 100%; }
button.example .kind { font-weight: 600; margin-right: 6px; }
.practice-head { padding-bottom: 6px; border-bottom: 1px solid var(--border-color-primary); }
.practice-head h2 { margin: 0 0 4px 0; }
.practice-head .where { font-weight: 600; margin: 6px 0; }
.practice-body { max-height: min(65vh, 720px); overflow-y: auto; padding: 4px 6px 4px 0;
  position: relative; }
.practice-text { white-space: pre-wrap; line-height: 1.55; }
.practice .meta { color: var(--body-text-color-subdued); margin: 0; }
mark.cited { background: #fde047; color: #111; padding: 1px 0; border-radius: 2px; }
.cited-tag { font-size: 0.8em; font-weight: 500; margin-left: 6px; }
.praxis-facts dl { display: grid; grid-template-columns: minmax(90px, max-content) 1fr; gap: 4px 12px; }
.praxis-facts dt { font-weight: 600; }
.praxis-facts dd { margin: 0; }
.praxis-facts q, .praxis-sources q { color: var(--body-text-color-subdued); }
.fact-value { font-weight: 600; }
.fact-where { font-size: 0.85em; color: var(--body-text-color-subdued); }
#praxis-cards .count { font-weight: 600; margin: 4px 0 8px 0; }
#praxis-cards .cards { list-style: none; padding: 0; margin: 0; display: grid;
  grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 10px; }
#praxis-cards .card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px; }
#praxis-cards .card h2 { margin: 0 0 4px 0; font-size: 1em; }
button.card-open { font: inherit; font-weight: 600; background: none; border: none; padding: 0;
  color: var(--link-text-color, #1d4ed8); text-decoration: underline; cursor: pointer; text-align: left; }
#praxis-cards .card-meta { font-size: 0.85em; color: var(--body-text-color-subdued); margin: 0 0 4px 0; }
#praxis-cards .card-summary { margin: 0; font-size: 0.92em; }
#praxis-transfer-cards .count { font-weight: 600; margin: 4px 0 8px 0; }
#praxis-transfer-cards .fits { list-style: none; padding: 0; margin: 0; display: flex;
  flex-direction: column; gap: 12px; }
#praxis-transfer-cards .fit { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 10px 12px; }
#praxis-transfer-cards .fit-head h2 { margin: 0 0 2px 0; font-size: 1.05em; }
#praxis-transfer-cards .fit-meta { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 8px;
  margin: 0 0 6px 0; font-size: 0.88em; color: var(--body-text-color-subdued); }
#praxis-transfer-cards .score { font-weight: 600; color: var(--body-text-color); }
#praxis-transfer-cards .criterion h3 { font-size: 0.92em; margin: 8px 0 2px 0; }
#praxis-transfer-cards .points { font-weight: 400; color: var(--body-text-color-subdued); margin-left: 6px; }
#praxis-transfer-cards .reasons { list-style: none; padding: 0; margin: 0; }
#praxis-transfer-cards .reason { margin: 2px 0 6px 0; line-height: 1.45; }
.verdict { display: inline-block; font-size: 0.8em; font-weight: 600; border-radius: 999px;
  padding: 0 8px; margin-right: 4px; border: 1px solid currentColor; }
.verdict.v-fits { color: #166534; background: #dcfce7; }
.verdict.v-partly { color: #854d0e; background: #fef9c3; }
.verdict.v-no-fit { color: #991b1b; background: #fee2e2; }
.verdict.v-not-stated { color: var(--body-text-color-subdued); background: var(--background-fill-secondary); }
#praxis-transfer-cards .reason-quote { margin: 4px 0 0 12px; padding: 0 0 0 8px;
  border-left: 3px solid var(--border-color-primary); }
.reason-quote q { font-style: italic; }
.reason-source { margin: 2px 0 0 0; font-size: 0.85em; color: var(--body-text-color-subdued); }
.reason-source button.cite { font-size: 1em; }
button.brief { font: inherit; font-size: 0.88em; border: 1px solid var(--border-color-accent, #4338ca);
  border-radius: 999px; padding: 3px 10px; margin-top: 6px; background: var(--background-fill-primary);
  color: var(--link-text-color, #1d4ed8); cursor: pointer; box-shadow: none; }
button.brief:hover, button.brief:focus-visible { background: var(--color-accent-soft); }
#praxis-briefing-row, #praxis-transfer-row2 { align-items: flex-end; }
#praxis-briefing-label, #praxis-briefing-label * { overflow: visible !important; }
@media (max-width: 720px) {
  #praxis-chat .turns { max-height: none; overflow: visible; }
  #praxis-chat .msg.user { margin-left: 0; }
  #praxis-chat .msg.bot { margin-right: 0; }
  .practice-body { max-height: 70vh; }
  .praxis-facts dl { grid-template-columns: 1fr; }
  .praxis-facts dd { margin-bottom: 6px; }
}
"""

# Hands a button's data-* to the server; "back" only scrolls to that answer.
ACTIONS_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button || !element.contains(button)) return;
  const d = button.dataset;
  if (d.action === 'back') {
    const turn = document.getElementById('praxis-turn-' + d.turn);
    if (turn) turn.scrollIntoView({block: 'start'});
    return;
  }
  trigger('click', {
    action: d.action,
    turn: d.turn === undefined ? -1 : Number(d.turn),
    n: d.n === undefined ? 0 : Number(d.n),
    practice: d.practice || '',
    value: d.value || '',
    question: d.question || '',
  });
});
"""

# The conversation also keeps its newest turn in view while an answer is written.
CHAT_JS = (
    ACTIONS_JS
    + """
watch('value', () => {
  const box = element.querySelector('.turns');
  const turns = element.querySelectorAll('.turn');
  const last = turns[turns.length - 1];
  if (box && last && box.scrollHeight > box.clientHeight) box.scrollTop = last.offsetTop - 4;
});
"""
)

# The reader also brings the highlighted passage (or the top of a newly opened practice) into
# view: it scrolls its own text, and the page only when the reader is off screen (on a phone,
# where it sits below the conversation).
READER_JS = (
    ACTIONS_JS
    + """
watch('value', () => {
  const body = element.querySelector('.practice-body');
  if (!body) return;
  const mark = body.querySelector('mark.cited');
  body.scrollTop = mark ? Math.max(0, mark.offsetTop - body.clientHeight / 3) : 0;
  const box = element.getBoundingClientRect();
  if (box.top < 0 || box.top > window.innerHeight * 0.6) element.scrollIntoView({block: 'start'});
});
"""
)

# The language of the browser, if Praxis speaks it, chosen when the page loads.
DETECT_LANGUAGE_JS = (
    "() => { const spoken = "
    + repr(list(LANGUAGES)).replace("'", '"')
    + "; const wanted = (navigator.languages || [navigator.language]).map((l) => (l || '').slice(0, 2)"
    ".toLowerCase()); return wanted.find((l) => spoken.includes(l)) || 'en'; }"
)

# Switches Gradio's own translations (labels, buttons, placeholders) to the chosen language.
SWITCH_LANGUAGE_JS = """
async (lang) => {
  document.documentElement.lang = lang;
  const core = performance.getEntriesByType('resource').map((e) => e.name)
    .find((name) => /\\/assets\\/core-[^/]*\\.js$/.test(name));
  if (core) {
    try { (await import(core)).changeLocale(lang); } catch (error) { console.warn('language switch', error); }
  }
  // a tab's label is translated when the tab is selected: select each once, then the current one
  await new Promise((resolve) => setTimeout(resolve, 50));
  const tabs = [...document.querySelectorAll('#praxis-tabs [role="tab"]')];
  const current = tabs.find((tab) => tab.getAttribute('aria-selected') === 'true');
  tabs.forEach((tab) => tab.click());
  if (current) current.click();
  return lang;
}
"""
