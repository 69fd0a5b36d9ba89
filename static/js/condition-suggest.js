// Suggestions for the trial list's condition field as the reader types: the field's
// <datalist> starts with the most common conditions and is refilled from the JSON at
// data-suggest (/trials/conditions/?q=…). Without script the field still takes any condition.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest][list]").forEach(function (field) {
    var list = document.getElementById(field.getAttribute("list"));
    var timer = null;
    var asked = "";
    if (!list) return;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = field.value.trim();
        if (text === asked) return;
        asked = text;
        fetch(field.dataset.suggest + "?q=" + encodeURIComponent(text), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { conditions: [] }; })
          .then(function (data) {
            if (text !== asked) return; // a later keystroke's answer is on its way
            list.replaceChildren.apply(list, data.conditions.map(function (condition) {
              var option = document.createElement("option");
              option.value = condition.name;
              option.label = condition.name + " (" + condition.trials + ")";
              return option;
            }));
          })
          .catch(function () { /* keep the current suggestions */ });
      }, 150);
    });
  });
})();
