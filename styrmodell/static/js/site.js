// What every page of the portal does with a script, and does without one too.
//
// Loaded in the head without `defer` so that the "js" class is on <html> before the header is
// drawn: the stylesheet folds the phone's menu and drops the "Show" buttons only when this script
// runs, so a browser without scripts keeps the whole header and the buttons. No inline script or
// handler anywhere: the portal's Content-Security-Policy allows scripts from its own files only.
(function () {
    "use strict";

    document.documentElement.classList.add("js");

    // On a narrow screen the header shows the brand and a "Menu" button; the button opens the
    // search, the account's tools and the menu below it, and Escape closes them again.
    function setUpMenu() {
        const header = document.querySelector(".site-header");
        const toggle = header && header.querySelector(".menu-toggle");
        if (!toggle) {
            return;
        }
        function setOpen(open) {
            header.classList.toggle("menu-open", open);
            toggle.setAttribute("aria-expanded", open ? "true" : "false");
        }
        toggle.hidden = false;
        setOpen(false);
        toggle.addEventListener("click", function () {
            setOpen(toggle.getAttribute("aria-expanded") !== "true");
        });
        header.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && header.classList.contains("menu-open")) {
                setOpen(false);
                toggle.focus();
            }
        });
    }

    // A form marked `data-submit-on-change` (the year selector) shows the choice at once: the
    // select sends its form, and the form's own button is there for browsers without scripts.
    function setUpSubmitOnChange() {
        document.querySelectorAll("form[data-submit-on-change]").forEach(function (form) {
            form.querySelectorAll("select").forEach(function (select) {
                select.addEventListener("change", function () {
                    form.requestSubmit();
                });
            });
        });
    }

    // A button marked `data-print` opens the browser's print dialog (to paper or to PDF).
    function setUpPrint() {
        document.querySelectorAll("button[data-print]").forEach(function (button) {
            button.hidden = false;
            button.addEventListener("click", function () {
                window.print();
            });
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        setUpMenu();
        setUpSubmitOnChange();
        setUpPrint();
    });
})();
