/* Faceted browse, progressively enhanced. Without this script the filters are a plain GET form
   with an Apply button and every chip or page is a link. With it, ticking a box, changing the sort,
   submitting the form or following a chip/pagination link fetches the same URL, swaps the #browse
   region, updates the address (history.pushState) and announces the new count in #browse-status.
   Our own code; loaded with defer; no inline script (CSP). */
(function () {
  "use strict";

  var root = document.getElementById("browse");
  if (!root || !window.fetch || !window.DOMParser || !window.history || !window.history.pushState) {
    return;
  }
  document.documentElement.classList.add("js-browse");

  var status = document.getElementById("browse-status");
  var smallScreen = window.matchMedia ? window.matchMedia("(max-width: 48rem)") : null;
  var pending = null;
  /* The list the region shows (path and query), so a fragment link (#browse-results, the skip
     link) that fires popstate does not reload the list and lose the reader's focus. */
  var shown = window.location.pathname + window.location.search;

  function listOf(url) {
    var parsed = new URL(url, window.location.href);
    return parsed.pathname + parsed.search;
  }

  function form() {
    return document.getElementById("browse-form");
  }

  /* The form's state as a URL: empty words and the default sort are left out so URLs stay short. */
  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form()).forEach(function (value, name) {
      if (value === "" || (name === "sort" && value === "title")) {
        return;
      }
      params.append(name, value);
    });
    var query = params.toString();
    return form().getAttribute("action") + (query ? "?" + query : "");
  }

  /* Which <details> are open, by data-details name, so a swap keeps what the reader opened. */
  function detailsState() {
    var state = {};
    root.querySelectorAll("details[data-details]").forEach(function (details) {
      state[details.getAttribute("data-details")] = details.open;
    });
    return state;
  }

  function restoreDetails(state) {
    root.querySelectorAll("details[data-details]").forEach(function (details) {
      var name = details.getAttribute("data-details");
      if (Object.prototype.hasOwnProperty.call(state, name)) {
        details.open = state[name] || details.querySelector("input:checked") !== null;
      }
    });
  }

  function focusAfterSwap(focusId) {
    var target = focusId ? document.getElementById(focusId) : null;
    if (!target || target.disabled) {
      target = document.getElementById("result-count");
    }
    if (target) {
      target.focus({ preventScroll: Boolean(focusId) && target.id === focusId });
    }
  }

  function load(url, options) {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var state = detailsState();
    root.setAttribute("aria-busy", "true");
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin", signal: pending.signal })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("browse");
        if (!fresh) {
          throw new Error("no browse region");
        }
        root.replaceChildren.apply(root, Array.prototype.slice.call(fresh.childNodes).map(function (node) {
          return document.importNode(node, true);
        }));
        document.title = page.title;
        shown = listOf(url);
        restoreDetails(state);
        if (options.push) {
          window.history.pushState({ browse: true }, "", url);
        }
        var count = document.getElementById("result-count");
        if (status && count) {
          status.textContent = count.textContent.replace(/\s+/g, " ").trim();
        }
        if (!options.fromHistory) {
          focusAfterSwap(options.focusId);
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          window.location.assign(url); /* fall back to a full page load */
        }
      })
      .finally(function () {
        root.removeAttribute("aria-busy");
      });
  }

  root.addEventListener("change", function (event) {
    var control = event.target;
    if (control.form !== form() || (control.type !== "checkbox" && control.tagName !== "SELECT")) {
      return;
    }
    load(formUrl(), { push: true, focusId: control.id });
  });

  document.addEventListener("submit", function (event) {
    if (event.target !== form()) {
      return;
    }
    event.preventDefault();
    load(formUrl(), { push: true, focusId: "result-count" });
  });

  root.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-browse-link]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    load(link.href, { push: true, focusId: null });
  });

  window.addEventListener("popstate", function () {
    if (listOf(window.location.href) === shown) {
      return;
    }
    load(window.location.href, { push: false, fromHistory: true });
  });

  /* On a small screen the filters start folded so the results come first; the reader opens them. */
  if (smallScreen && smallScreen.matches) {
    var panel = root.querySelector('details[data-details="panel"]');
    if (panel) {
      panel.open = false;
    }
  }
})();
