// Names for the admin's controls that come without one (axe: link-name, label,
// aria-input-field-name, aria-prohibited-attr).
//
// Treebeard's tree draws each branch's fold toggle as an empty link; the admin's autocomplete
// (select2) draws its search box and its combobox without the field's label; the two-list picker
// (SelectFilter2) puts a label on a span without a role. They arrive after the page, as rows load
// and choices change, so they are named as they appear. The admin speaks the portal's two languages.
(function () {
    "use strict";

    const TOGGLE = {
        sv: "Visa eller dölj det som ligger under %s",
        en: "Show or hide what lies under %s",
    };
    const SEARCH = {sv: "Sök: %s", en: "Search: %s"};

    function say(texts, name) {
        const language = (document.documentElement.lang || "sv").slice(0, 2);
        return (texts[language] || texts.sv).replace("%s", name.trim());
    }

    function nameTreeToggles(root) {
        root.querySelectorAll("a.treebeard-collapse:not([aria-label])").forEach(function (toggle) {
            const title = toggle.closest("td, th");
            const link = title && title.querySelector("a:not(.treebeard-collapse)");
            toggle.setAttribute("aria-label", say(TOGGLE, link ? link.textContent : ""));
        });
    }

    function nameAutocompleteSearches(root) {
        root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (search) {
            const container = search.closest(".select2-container");
            const select = container && container.previousElementSibling;
            const label = select && select.id && document.querySelector("label[for='" + select.id + "']");
            if (label) {
                search.setAttribute("aria-label", say(SEARCH, label.textContent.replace(/:$/, "")));
            }
        });
    }

    // A select2 combobox, and the box showing its choice, are named by the field's label.
    function labelAutocompleteBoxes(root) {
        root.querySelectorAll(".select2-selection[role='combobox']:not([data-labelled])").forEach(function (box) {
            const container = box.closest(".select2-container");
            const select = container && container.previousElementSibling;
            const label = select && select.id && document.querySelector("label[for='" + select.id + "']");
            if (!label) {
                return;
            }
            label.id = label.id || select.id + "-label";
            const shown = box.querySelector(".select2-selection__rendered");
            box.setAttribute("aria-labelledby", [label.id, shown && shown.id].filter(Boolean).join(" "));
            if (shown) {
                shown.setAttribute("aria-labelledby", label.id);
            }
            box.dataset.labelled = "";
        });
    }

    // The picker's magnifier icon: a labelled image, not a labelled span.
    function giveIconsARole(root) {
        root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
            icon.setAttribute("role", "img");
        });
    }

    function name(root) {
        nameTreeToggles(root);
        nameAutocompleteSearches(root);
        labelAutocompleteBoxes(root);
        giveIconsARole(root);
    }

    document.addEventListener("DOMContentLoaded", function () {
        name(document);
        new MutationObserver(function () {
            name(document);
        }).observe(document.body, {childList: true, subtree: true});
    });
})();
