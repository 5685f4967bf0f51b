/* Twentse Koers Monitor (WCAG 2.1.1): a table wider than its place (the figures under
   a chart in a half-width column, any table on a phone at 320 CSS px) scrolls sideways inside its
   own box. Streamlit's box cannot take the keyboard focus, so a keyboard user could not scroll it
   (axe-core: scrollable-region-focusable). Each st.table's box that scrolls gets tabindex=0 (the
   arrow keys then scroll it; the focus ring is the shell's), role=region and a Dutch name; a box
   that fits again loses them, so a table that does not scroll adds no tab stop. Inserted in
   index.html by monitor/serving/static_nl.py; tests/browser/test_accessibility_browser.py checks it. */
(() => {
  const BOX = '[data-testid="stTable"] > div';
  const NAME = "Tabel, scrolt zijwaarts";
  const check = (box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && box.getAttribute("tabindex") !== "0") {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", NAME);
      box.dataset.tkScroll = "1";
    } else if (!scrolls && box.dataset.tkScroll === "1") {
      ["tabindex", "role", "aria-label", "data-tk-scroll"].forEach((a) => box.removeAttribute(a));
    }
  };
  const sizes = new ResizeObserver((entries) => entries.forEach((entry) => check(entry.target)));
  const seen = new WeakSet();
  const watch = (box) => {
    if (seen.has(box)) return;
    seen.add(box);
    sizes.observe(box);
    const table = box.querySelector("table");
    if (table) sizes.observe(table);
    check(box);
  };
  const within = (node) => {
    if (node.nodeType !== 1) return;
    if (node.matches(BOX)) watch(node);
    node.querySelectorAll(BOX).forEach(watch);
  };
  new MutationObserver((changes) => {
    for (const change of changes) change.addedNodes.forEach(within);
  }).observe(document.documentElement, {subtree: true, childList: true});
})();
