// Every <select data-searchable> becomes Tom Select's searchable list (vendor/tom-select): among
// the people of many units, grouped by unit, typing a few letters of a name finds the person.
// Without JavaScript, or before it loads, the native select works as it is. The texts come from
// the select's data attributes, which the template fills in the reader's language.
(function () {
  "use strict";

  function searchable(select) {
    if (select.tomselect) {
      return;
    }
    var noResults = select.dataset.noResults || "";
    var control = new window.TomSelect(select, {
      allowEmptyOption: true,
      maxOptions: null, // every person of the list, not the first 50
      lockOptgroupOrder: true, // the units stay in the organisation's order
      searchField: ["text"],
      render: {
        no_results: function (_data, escape) {
          return '<div class="no-results">' + escape(noResults) + "</div>";
        },
      },
    });
    // The original select stays in the form, to be sent, but the search box took over its label:
    // hide it from assistive technology too, so that only the labelled search box is announced.
    select.setAttribute("aria-hidden", "true");
    return control;
  }

  function start() {
    if (!window.TomSelect) {
      return;
    }
    document.querySelectorAll("select[data-searchable]").forEach(searchable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
