/* The editorial desk's change form: warn before leaving a page with unsaved edits, whether
   by a link (such as "Submit for review"), the browser's back button or closing the tab.
   Saving (any submit button of the form) is not leaving. The server checks too: a submit
   carries the page's save counter and is refused if the draft was saved since. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.querySelector("form input[name=loaded_edit_count]");
  form = form ? form.form : document.querySelector("#content-main form[id$=_form]");
  if (!form) { return; }
  var dirty = false;
  function mark(event) {
    if (event.target && event.target.form === form && event.target.type !== "hidden") {
      dirty = true;
      document.documentElement.dataset.unsaved = "true";
    }
  }
  form.addEventListener("input", mark);
  form.addEventListener("change", mark);
  // Saving is not leaving; a button that posts the form elsewhere (formaction, e.g.
  // revoking a review link) is, and loses the edits like any other way out.
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.hasAttribute("formaction")) { dirty = false; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) { return; }
    event.preventDefault();
    event.returnValue = "";  // older browsers show their own text; the value is ignored
  });
  // A workflow link followed with unsaved edits would act on the saved content: say so.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href*='/versions/']");
    if (!dirty || !link) { return; }
    if (!window.confirm("You have unsaved changes. Leave without saving them? " +
                        "(To send them to review, use \u201cSave and submit for review\u201d.)")) {
      event.preventDefault();
    } else {
      dirty = false;
    }
  });
});
