// Keeps the branches of an admin tree open across page loads.
//
// Treebeard's changelist reloads the page after every drag and drop (so that the move's message
// shows), and loads each branch's rows only when it is opened, so the tree came back folded to its
// top after every move. This remembers, for the browser tab (sessionStorage), which rows were open
// when the page was left, and opens them again, each as its parent's rows arrive.
(function ($) {
    "use strict";

    const key = "admin-tree-open:" + window.location.pathname;

    function readOpen() {
        try {
            return new Set(JSON.parse(window.sessionStorage.getItem(key) || "[]"));
        } catch (error) {
            return new Set();  // storage refused or unreadable: the tree opens folded, as before
        }
    }

    function saveOpen() {
        const open = $("#result_list tr[data-node-id]")
            .filter((index, row) => $(row).find("a.treebeard-collapse").is(".treebeard-expanded, .treebeard-loading"))
            .map((index, row) => String(row.dataset.nodeId))
            .get();
        try {
            window.sessionStorage.setItem(key, JSON.stringify(open));
        } catch (error) {
            // Storage full or refused: nothing to remember the tree by.
        }
    }

    function reopen(rows, open) {
        rows.forEach((row) => {
            const toggle = row.querySelector && row.querySelector("a.treebeard-collapse.treebeard-collapsed");
            if (toggle && open.has(String(row.dataset.nodeId))) {
                $(toggle).trigger("click");  // treebeard's own handler loads and shows the rows
            }
        });
    }

    function start() {
        const body = document.querySelector("#result_list tbody");
        if (!body || !document.getElementById("tree-context")) {
            return;  // not a tree (a search shows a flat list)
        }
        const open = readOpen();
        // A branch's rows arrive later, from the server: open those that were open, in turn.
        new MutationObserver((changes) => {
            changes.forEach((change) => reopen(Array.from(change.addedNodes), open));
        }).observe(body, {childList: true});
        reopen(Array.from(body.rows), open);
        window.addEventListener("pagehide", saveOpen);
    }

    // After treebeard's own ready handler, which gives the rows their ids and toggles (this file is
    // the admin's media, loaded before treebeard's script).
    $(() => window.setTimeout(start, 0));
})(django.jQuery);
