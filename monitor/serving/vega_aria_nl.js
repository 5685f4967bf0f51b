/* Twentse Koers Monitor (WCAG 3.1.1 and 4.1.2): Vega's SVG gives every group of marks
   the English role description "<type> mark container" (and an item "<type> mark"), also where
   the group has no name and nothing to say: "group mark container" is read aloud on every chart.
   Vega-Lite has no setting for it (vega/vega#2583). A nameless group is only structure: its role
   and role description go, so a screen reader passes through it to what it holds. A named one
   keeps its role and gets a Dutch role description. Inserted in index.html by
   monitor/serving/static_nl.py; tests/browser/test_accessibility_browser.py checks the result. */
(() => {
  const DUTCH = {arc: "boog", area: "vlak", group: "groep", image: "afbeelding", line: "lijn",
                 path: "vorm", rect: "rechthoek", rule: "lijnstuk", shape: "vorm", symbol: "punt",
                 text: "tekst", trail: "spoor"};
  const ENGLISH = /^(\w+) mark( container)?$/;
  const fix = (element) => {
    const found = ENGLISH.exec(element.getAttribute("aria-roledescription") || "");
    if (!found) return;
    if (!element.getAttribute("aria-label")) {
      element.removeAttribute("aria-roledescription");
      if (/^graphics-(object|symbol)$/.test(element.getAttribute("role") || "")) element.removeAttribute("role");
    } else {
      const what = DUTCH[found[1]] || "grafiekdeel";
      element.setAttribute("aria-roledescription", found[2] ? `groep (${what})` : what);
    }
  };
  const within = (node) => {
    if (node.nodeType !== 1) return;
    if (node.hasAttribute("aria-roledescription")) fix(node);
    if (node instanceof SVGElement || node.getElementsByTagName("svg").length) {
      node.querySelectorAll("[aria-roledescription]").forEach(fix);
    }
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "attributes") fix(change.target);
      else change.addedNodes.forEach(within);
    }
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                         attributeFilter: ["aria-roledescription"]});
})();
