/* Accessibility fixes for the widgets the desk borrows.

   1. Django admin's autocomplete (Select2), used to find citations, therapies and cancer
      types among thousands, leaves its search box without a label and puts its "clear"
      button, a <span>, directly in a <ul>: screen readers announce an unnamed box and a
      broken list (axe: label, list). Select2 redraws these parts on every change, so they
      are fixed whenever they appear.
   2. django-markdownx turns Tab in the body into an indent, which traps a keyboard user in
      the editor (WCAG 2.1.2). Tab moves on again; Ctrl+] and Ctrl+[ still indent. */
(function () {
  "use strict";
  window.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Tab" && !event.ctrlKey && !event.metaKey && !event.altKey &&
        target && target.classList && target.classList.contains("markdownx-editor")) {
      event.stopImmediatePropagation();  // before markdownx's own listener; focus moves on
    }
  }, true);
  function labelFor(container) {
    var select = container.previousElementSibling;
    var label = select && select.id && document.querySelector("label[for='" + select.id + "']");
    return label ? label.textContent.replace(/[:\s]+$/, "").trim() : "";
  }
  function fix(root) {
    root.querySelectorAll(".select2-container").forEach(function (container) {
      var name = labelFor(container);
      container.querySelectorAll("input.select2-search__field").forEach(function (input) {
        if (name && !input.getAttribute("aria-label")) {
          input.setAttribute("aria-label", "Search " + name.toLowerCase());
        }
      });
      container.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach(
        function (stray) {
          var item = document.createElement("li");
          item.className = "select2-a11y-item";
          stray.parentNode.insertBefore(item, stray);
          item.appendChild(stray);
        }
      );
    });
  }
  function start() {
    fix(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        if (change.addedNodes.length) { fix(document); }
      });
    }).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
